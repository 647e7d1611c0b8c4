/** The two-input gates written inside formula and circuit-value inputs, by their token. */
export const BINARY_GATES: Readonly<Record<string, (a: boolean, b: boolean) => boolean>> = {
  AND: (a, b) => a && b,
  OR: (a, b) => a || b,
  NAND: (a, b) => !(a && b),
  NOR: (a, b) => !(a || b),
};

export const BINARY_GATE_TOKENS: readonly string[] = Object.keys(BINARY_GATES);
