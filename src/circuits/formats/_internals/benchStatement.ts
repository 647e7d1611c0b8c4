/**
 * One line of a `.bench` netlist as a statement (the grammar is in
 * benchFormat.ts):
 *
 *   statement  := INPUT '(' name ')' | OUTPUT '(' name ')' | name '=' rhs
 *   rhs        := vdd | gnd | GATE '(' [name {',' name}] ')'
 *   GATE       := AND | OR | NAND | NOR | XOR | XNOR | NOT | BUFF | BUF | MAJ
 *               | THR<k> | MOD<m> | CONST0 | CONST1      (case-insensitive)
 *
 * Tokens are runs of characters other than whitespace, parentheses, commas,
 * '=' and '#', and each of ( ) , = alone. Every error goes through `fail`
 * (line, message), which parseBench turns into CircuitError('format').
 */
import type { NodeDescription } from '../../Circuit.js';
import { GATES, type GateKind } from '../../gates.js';

/** A parsed line: a declared input or output, or a node definition. */
export type Statement =
  | { readonly kind: 'input'; readonly name: string; readonly line: number }
  | { readonly kind: 'output'; readonly name: string; readonly line: number }
  | { readonly kind: 'node'; readonly node: NodeDescription; readonly line: number };

/** Throws the format error of `line`; never returns. */
export type Fail = (line: number, message: string) => never;

const ISCAS_GATES: Readonly<Record<string, GateKind>> = {
  AND: 'AND', OR: 'OR', NAND: 'NAND', NOR: 'NOR', XOR: 'XOR', XNOR: 'XNOR', NOT: 'NOT', BUFF: 'BUF', BUF: 'BUF', MAJ: 'MAJ',
};
const GATE_LIST = 'AND, OR, NAND, NOR, XOR, XNOR, NOT, BUFF, or the depthlab extensions MAJ, THR<k>, MOD<m> (constants: vdd, gnd)';
const STATEMENT_FORMS = 'INPUT(name), OUTPUT(name) or name = GATE(inputs)';

const isPunct = (t: string | undefined) => t === '(' || t === ')' || t === ',' || t === '=';
const show = (t: string | undefined) => (t === undefined ? 'the end of the line' : `"${t}"`);

/** The tokens of one line (its comment already cut off). */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /[^\s(),=#]+|[(),=]/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) tokens.push(m[0]);
  return tokens;
}

/** The statement of one line's tokens (at least one token). */
export function parseStatement(tokens: readonly string[], line: number, fail: Fail): Statement {
  const [first, second] = tokens;
  if (first === undefined || isPunct(first)) {
    return fail(line, `a statement cannot start with ${show(first)}; write ${STATEMENT_FORMS}`);
  }
  if (second === '(') {
    const keyword = first.toUpperCase();
    if (keyword !== 'INPUT' && keyword !== 'OUTPUT') {
      const hint = gateKindOf(first) !== undefined || keyword === 'DFF' ? `a gate needs a name: write name = ${first}(...)` : `write ${STATEMENT_FORMS}`;
      return fail(line, `"${first}(" is not a statement; ${hint}`);
    }
    const [, , name, close, extra] = tokens;
    if (name === ')') return fail(line, `${keyword}() names no node; write ${keyword}(name)`);
    if (name === undefined || isPunct(name)) return fail(line, `${keyword}( is followed by ${show(name)}; write ${keyword}(name)`);
    if (close === ',') return fail(line, `${keyword}(${name}, …) lists several nodes; write one ${keyword}(name) line per node`);
    if (close !== ')') return fail(line, `${keyword}(${name} is missing its ")", found ${show(close)}; write ${keyword}(${name})`);
    if (extra !== undefined) return fail(line, `unexpected ${show(extra)} after ${keyword}(${name}); put one statement per line`);
    return keyword === 'INPUT' ? { kind: 'input', name, line } : { kind: 'output', name, line };
  }
  if (second === '=') return { kind: 'node', node: parseDefinition(first, tokens.slice(2), line, fail), line };
  if (second === undefined) return fail(line, `"${first}" alone is not a statement; write ${STATEMENT_FORMS}`);
  if (!isPunct(second) && tokens[2] === '(') return fail(line, `missing "=" between "${first}" and "${second}"; write ${first} = ${second}(...)`);
  return fail(line, `unexpected ${show(second)} after "${first}"; write ${STATEMENT_FORMS}`);
}

/** The right-hand side of `name = …`. */
function parseDefinition(name: string, rhs: readonly string[], line: number, fail: Fail): NodeDescription {
  const [head, open] = rhs;
  if (head === undefined) return fail(line, `nothing after "${name} ="; write ${name} = GATE(inputs), ${name} = vdd or ${name} = gnd`);
  if (isPunct(head)) return fail(line, `expected a gate after "${name} =", found ${show(head)}; write ${name} = GATE(inputs)`);
  const upper = head.toUpperCase();
  if (open === undefined) {
    if (upper === 'VDD' || upper === 'GND') return { type: 'const', name, value: upper === 'VDD' };
    return fail(line, `"${name} = ${head}" is not a gate; write ${name} = BUFF(${head}) to copy a node, or ${name} = vdd / ${name} = gnd for a constant`);
  }
  if (open !== '(') return fail(line, `expected "(" after "${head}", found ${show(open)}; write ${name} = ${head}(inputs)`);

  if (upper === 'DFF') {
    return fail(line, `DFF "${name}" is a sequential element; depthlab circuits are combinational (ISCAS-89 sequential netlists are not supported — cut the flip-flops into inputs/outputs first)`);
  }
  const gate = gateKindOf(head);
  const isConst = upper === 'CONST0' || upper === 'CONST1';
  if (gate === undefined && !isConst) {
    if (upper === 'THR' || upper === 'MOD') {
      const p = upper === 'THR' ? 'k' : 'm';
      return fail(line, `${upper} needs its parameter ${p} in the name: write ${upper}<${p}>(...), e.g. ${upper === 'THR' ? 'THR2' : 'MOD3'}(a, b, c)`);
    }
    return fail(line, `"${head}" is not a .bench gate; use one of ${GATE_LIST}`);
  }

  const args = parseArguments(head, rhs, line, fail);
  if (isConst) {
    if (args.length > 0) return fail(line, `${upper}() takes no inputs, got ${args.length}; write ${name} = ${upper}()`);
    return { type: 'const', name, value: upper === 'CONST1' };
  }
  const kind = gate!.kind;
  const spec = GATES[kind];
  if (args.length === 0) return fail(line, `${head}() has no inputs; list at least one, e.g. ${name} = ${head}(a${spec.maxFanIn > 1 ? ', b' : ''})`);
  if (args.length < spec.minFanIn || args.length > spec.maxFanIn) {
    return fail(line, `${head} takes exactly ${spec.minFanIn} input, got ${args.length} (${args.join(', ')}); give "${name}" one input`);
  }
  if (gate!.param === undefined) return { type: 'gate', name, gate: kind, inputs: args };
  const problem = spec.checkParam?.(gate!.param, args.length);
  if (problem !== undefined) return fail(line, `${head}: ${problem}, got ${gate!.param}; fix the number in "${head}"`);
  return { type: 'gate', name, gate: kind, inputs: args, param: gate!.param };
}

/** `KIND(a, b, …)` starting at rhs[0]; returns the argument names. */
function parseArguments(head: string, rhs: readonly string[], line: number, fail: Fail): string[] {
  const args: string[] = [];
  let i = 2;
  if (rhs[i] === ')') i++;
  else {
    for (;;) {
      const arg = rhs[i];
      if (arg === undefined) return fail(line, `${head}( is missing its ")"; close the argument list`);
      if (arg === ',' || arg === ')') return fail(line, `empty argument in ${head}(...) before ${show(arg)}; remove the extra ","`);
      if (isPunct(arg)) return fail(line, `unexpected ${show(arg)} inside ${head}(...); arguments are node names separated by ","`);
      args.push(arg);
      const sep = rhs[i + 1];
      i += 2;
      if (sep === ',') continue;
      if (sep === ')') break;
      if (sep === undefined) return fail(line, `${head}( is missing its ")" after "${arg}"; close the argument list`);
      if (sep === '(' || sep === '=') return fail(line, `unexpected ${show(sep)} after "${arg}" inside ${head}(...); arguments are node names, not expressions`);
      return fail(line, `missing "," between "${arg}" and "${sep}" in ${head}(...)`);
    }
  }
  if (i < rhs.length) return fail(line, `unexpected ${show(rhs[i])} after the ")" of ${head}(...); put one statement per line`);
  return args;
}

/** A gate name of the file (case-insensitive): ISCAS gates, MAJ, THR<k>, MOD<m>. */
function gateKindOf(head: string): { kind: GateKind; param?: number } | undefined {
  const upper = head.toUpperCase();
  const plain = ISCAS_GATES[upper];
  if (plain !== undefined) return { kind: plain };
  const m = /^(THR|MOD)(\d+)$/.exec(upper);
  if (m === null) return undefined;
  return { kind: m[1] === 'THR' ? 'THR' : 'MOD', param: Number(m[2]) };
}
