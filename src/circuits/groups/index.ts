export { allPermutations, compose, equal, formatPermutation, identity, inverse, isIdentity, parsePermutation, randomPermutation, sign } from './permutation.js';
export type { Permutation } from './permutation.js';
export { alternatingGroup, cyclicGroup, directProduct, parseGroup, symmetricGroup } from './group.js';
export type { FiniteGroup } from './group.js';
