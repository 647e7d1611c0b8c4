/**
 * Circuit — an immutable Boolean circuit: a DAG over inputs, constants and
 * unbounded-fan-in gates (see gates.ts), with named, ordered outputs.
 *
 * `Circuit.fromDescription` is the one door in: it checks every rule (unique
 * names, references resolve, arities and parameters legal, acyclic, outputs
 * exist) and stores the nodes in a topological order, so that node ids are
 * indices and every gate's inputs have smaller ids than the gate itself.
 * Builders and file formats all produce a `CircuitDescription` and go through it.
 */
import { CircuitError } from './CircuitError.js';
import { GATES, type GateKind } from './gates.js';
import { quote } from './_internals/quote.js';

/** A node by name, in any order; what files and builders hand to `fromDescription`. */
export type NodeDescription =
  | { readonly type: 'const'; readonly name: string; readonly value: boolean }
  | {
      readonly type: 'gate';
      readonly name: string;
      readonly gate: GateKind;
      readonly inputs: readonly string[];
      /** THR's k or MOD's m; absent for the other gates. */
      readonly param?: number;
    };

export interface OutputDescription {
  readonly name: string;
  readonly node: string;
}

export interface CircuitDescription {
  readonly name?: string;
  readonly inputs: readonly string[];
  readonly nodes: readonly NodeDescription[];
  readonly outputs: readonly OutputDescription[];
}

/** A node of a built circuit; `inputs` are node ids, all smaller than the node's own. */
export type CircuitNode =
  | { readonly type: 'input'; readonly name: string; readonly position: number }
  | { readonly type: 'const'; readonly name: string; readonly value: boolean }
  | {
      readonly type: 'gate';
      readonly name: string;
      readonly gate: GateKind;
      readonly inputs: readonly number[];
      /** THR's k or MOD's m; 0 for the other gates. */
      readonly param: number;
    };

export interface CircuitOutput {
  readonly name: string;
  readonly node: number;
}

export class Circuit {
  private readonly ids: ReadonlyMap<string, number>;

  private constructor(
    readonly name: string | undefined,
    /** In topological order: node i only reads nodes < i. */
    readonly nodes: readonly CircuitNode[],
    /** Node ids of the inputs, in declaration order (the order of input bits). */
    readonly inputs: readonly number[],
    readonly outputs: readonly CircuitOutput[],
  ) {
    this.ids = new Map(nodes.map((n, i) => [n.name, i]));
    Object.freeze(this);
  }

  /** Validates a description and builds the circuit; throws CircuitError naming the rule broken. */
  static fromDescription(desc: CircuitDescription): Circuit {
    const declared = new Map<string, NodeDescription | { type: 'input'; name: string; position: number }>();
    const declare = (name: string, node: NodeDescription | { type: 'input'; name: string; position: number }) => {
      checkName(name, 'node');
      if (declared.has(name)) {
        throw new CircuitError('duplicate-name', `${quote(name)} is declared twice; give every input, constant and gate its own name`, name);
      }
      declared.set(name, node);
    };
    desc.inputs.forEach((name, position) => declare(name, { type: 'input', name, position }));
    for (const node of desc.nodes) declare(node.name, node);

    for (const node of desc.nodes) {
      if (node.type !== 'gate') continue;
      const spec = GATES[node.gate];
      if (spec === undefined) {
        throw new CircuitError('format', `gate ${quote(node.name)}: unknown gate kind ${JSON.stringify(node.gate)}; use one of ${Object.keys(GATES).join(', ')}`, node.name);
      }
      const n = node.inputs.length;
      if (n < spec.minFanIn || n > spec.maxFanIn) {
        const want = spec.minFanIn === spec.maxFanIn ? `exactly ${spec.minFanIn}` : `at least ${spec.minFanIn}`;
        throw new CircuitError('arity', `gate ${quote(node.name)}: ${spec.kind} takes ${want} input${spec.minFanIn === 1 && spec.maxFanIn === 1 ? '' : 's'}, got ${n}`, node.name);
      }
      if (spec.checkParam !== undefined) {
        const problem = node.param === undefined ? `${spec.kind} needs its parameter ${spec.param}` : spec.checkParam(node.param, n);
        if (problem !== undefined) {
          throw new CircuitError('parameter', `gate ${quote(node.name)}: ${problem}, got ${node.param ?? 'none'}`, node.name);
        }
      } else if (node.param !== undefined) {
        throw new CircuitError('parameter', `gate ${quote(node.name)}: ${spec.kind} takes no parameter, got ${node.param}; remove it`, node.name);
      }
      for (const ref of node.inputs) {
        if (!declared.has(ref)) {
          throw new CircuitError('unknown-reference', `gate ${quote(node.name)} reads ${quote(ref)}, which is not declared; declare it as an input, constant or gate`, node.name);
        }
      }
    }
    if (desc.outputs.length === 0) {
      throw new CircuitError('output', 'the circuit has no outputs; name at least one node as an output', 'outputs');
    }
    const outputNames = new Set<string>();
    for (const out of desc.outputs) {
      checkName(out.name, 'output');
      if (outputNames.has(out.name)) throw new CircuitError('output', `output ${quote(out.name)} is declared twice; give every output its own name`, out.name);
      outputNames.add(out.name);
      if (!declared.has(out.node)) {
        throw new CircuitError('output', `output ${quote(out.name)} refers to ${quote(out.node)}, which is not declared; point it at an input, constant or gate`, out.name);
      }
    }

    const order = topologicalOrder(desc, declared);
    const ids = new Map(order.map((name, i) => [name, i]));
    const nodes: CircuitNode[] = order.map((name) => {
      const d = declared.get(name)!;
      if (d.type !== 'gate') return Object.freeze({ ...d });
      return Object.freeze({
        type: 'gate' as const,
        name,
        gate: d.gate,
        inputs: Object.freeze(d.inputs.map((r) => ids.get(r)!)),
        param: d.param ?? 0,
      });
    });
    return new Circuit(
      desc.name,
      Object.freeze(nodes),
      Object.freeze(desc.inputs.map((name) => ids.get(name)!)),
      Object.freeze(desc.outputs.map((o) => Object.freeze({ name: o.name, node: ids.get(o.node)! }))),
    );
  }

  get size(): number {
    let gates = 0;
    for (const n of this.nodes) if (n.type === 'gate') gates++;
    return gates;
  }

  /** Node id of a name, or undefined. */
  nodeId(name: string): number | undefined {
    return this.ids.get(name);
  }

  node(id: number): CircuitNode {
    const n = this.nodes[id];
    if (n === undefined) throw new RangeError(`node id ${id} is out of range 0..${this.nodes.length - 1}`);
    return n;
  }

  inputNames(): string[] {
    return this.inputs.map((id) => this.nodes[id]!.name);
  }

  /** The description this circuit was built from, in topological order. */
  toDescription(): CircuitDescription {
    const nodes: NodeDescription[] = [];
    for (const n of this.nodes) {
      if (n.type === 'const') nodes.push({ type: 'const', name: n.name, value: n.value });
      if (n.type === 'gate') {
        const inputs = n.inputs.map((i) => this.nodes[i]!.name);
        nodes.push(GATES[n.gate].param === undefined
          ? { type: 'gate', name: n.name, gate: n.gate, inputs }
          : { type: 'gate', name: n.name, gate: n.gate, inputs, param: n.param });
      }
    }
    return {
      ...(this.name === undefined ? {} : { name: this.name }),
      inputs: this.inputNames(),
      nodes,
      outputs: this.outputs.map((o) => ({ name: o.name, node: this.nodes[o.node]!.name })),
    };
  }
}

/** Names are written into .bench netlists and CLI output, so they are kept plain. */
function checkName(name: unknown, what: 'node' | 'output'): void {
  if (typeof name !== 'string' || name.length === 0 || /[\s(),=#]/.test(name)) {
    throw new CircuitError('format', `${what} name ${quote(name)} is not usable: names are non-empty and contain no whitespace, parentheses, commas, '=' or '#'`, String(name));
  }
}

/**
 * Inputs first, then a depth-first post-order over the nodes in declaration
 * order (so an already-sorted description keeps its order). Iterative, so a
 * chain of a million gates does not overflow the stack; a back edge is a cycle,
 * reported with its path.
 */
function topologicalOrder(
  desc: CircuitDescription,
  declared: ReadonlyMap<string, NodeDescription | { type: 'input' }>,
): string[] {
  const order: string[] = [...desc.inputs];
  const state = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = done
  for (const name of desc.inputs) state.set(name, 2);
  for (const root of desc.nodes) {
    if (state.get(root.name) === 2) continue;
    const stack: { name: string; next: number }[] = [{ name: root.name, next: 0 }];
    state.set(root.name, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const node = declared.get(top.name)!;
      const refs = node.type === 'gate' ? node.inputs : [];
      if (top.next < refs.length) {
        const ref = refs[top.next++]!;
        const s = state.get(ref);
        if (s === 1) {
          const path = [...stack.slice(stack.findIndex((f) => f.name === ref)).map((f) => f.name), ref];
          const shown = path.length <= 12 ? path : [...path.slice(0, 6), `… ${path.length - 11} more …`, ...path.slice(-5)];
          throw new CircuitError('cycle', `gate ${quote(ref)} is on a cycle of ${path.length - 1} gates (${shown.join(' -> ')}); a circuit must be acyclic`, ref);
        }
        if (s === undefined) {
          state.set(ref, 1);
          stack.push({ name: ref, next: 0 });
        }
      } else {
        state.set(top.name, 2);
        order.push(top.name);
        stack.pop();
      }
    }
  }
  return order;
}
