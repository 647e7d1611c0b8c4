/**
 * Composition of circuits — how larger circuits are assembled from smaller
 * ones, with the textbook bounds (Vollmer §1.1):
 *   sequential  outer ∘ inner: size = size(inner) + size(outer),
 *               depth(outer) ≤ depth ≤ depth(inner) + depth(outer);
 *   parallel    a ‖ b:         size = size(a) + size(b), depth = max(depth(a), depth(b)).
 * Node names are prefixed ("inner.", "outer.", "a.", "b.") so they never clash;
 * inner inputs keep their names in a composition.
 */
import { Circuit, type NodeDescription } from './Circuit.js';
import { CircuitError } from './CircuitError.js';

function renamed(c: Circuit, rename: (name: string) => string): NodeDescription[] {
  return c.toDescription().nodes.map((n) =>
    n.type === 'const' ? { ...n, name: rename(n.name) } : { ...n, name: rename(n.name), inputs: n.inputs.map(rename) },
  );
}

/** outer ∘ inner: inner's i-th output feeds outer's i-th input. */
export function compose(outer: Circuit, inner: Circuit): Circuit {
  if (inner.outputs.length !== outer.inputs.length) {
    throw new CircuitError('width', `cannot compose: the inner circuit has ${inner.outputs.length} outputs but the outer one has ${outer.inputs.length} inputs; they must match`, 'compose');
  }
  const innerInputs = new Set(inner.inputNames());
  const innerName = (n: string) => (innerInputs.has(n) ? n : `inner.${n}`);
  const innerOut = inner.outputs.map((o) => innerName(inner.nodes[o.node]!.name));
  const outerInputIndex = new Map(outer.inputNames().map((n, i) => [n, i]));
  const outerName = (n: string) => {
    const i = outerInputIndex.get(n);
    return i === undefined ? `outer.${n}` : innerOut[i]!;
  };
  return Circuit.fromDescription({
    name: `${outer.name ?? 'outer'}∘${inner.name ?? 'inner'}`,
    inputs: inner.inputNames(),
    nodes: [...renamed(inner, innerName), ...renamed(outer, outerName)],
    outputs: outer.outputs.map((o) => ({ name: o.name, node: outerName(outer.nodes[o.node]!.name) })),
  });
}

/** a ‖ b: a's inputs then b's, a's outputs then b's, all names prefixed "a." and "b.". */
export function parallel(a: Circuit, b: Circuit): Circuit {
  const pa = (n: string) => `a.${n}`;
  const pb = (n: string) => `b.${n}`;
  return Circuit.fromDescription({
    name: `${a.name ?? 'a'}‖${b.name ?? 'b'}`,
    inputs: [...a.inputNames().map(pa), ...b.inputNames().map(pb)],
    nodes: [...renamed(a, pa), ...renamed(b, pb)],
    outputs: [
      ...a.outputs.map((o) => ({ name: pa(o.name), node: pa(a.nodes[o.node]!.name) })),
      ...b.outputs.map((o) => ({ name: pb(o.name), node: pb(b.nodes[o.node]!.name) })),
    ],
  });
}
