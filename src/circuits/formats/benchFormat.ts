/**
 * The ISCAS-85 `.bench` netlist format (as used by c17 … c7552 and by ABC):
 *
 *   # comment to the end of the line
 *   INPUT(1)
 *   OUTPUT(22)
 *   10 = NAND(1, 3)
 *   22 = NAND(10, 16)
 *
 * One statement per line; whitespace is free; keywords and gate names are
 * case-insensitive, node names are not. A node name is any run of characters
 * other than whitespace, parentheses, commas, '=' and '#'. Statements may come
 * in any order: a gate may read a node defined further down. `OUTPUT(y)` names
 * a node, and becomes an output called y reading node y.
 *
 * Gates: AND, OR, NAND, NOR, XOR, XNOR (any fan-in), NOT, BUFF (alias BUF).
 * Constants: `g = vdd`, `g = gnd` (any case), or `g = CONST1()`, `g = CONST0()`.
 * depthlab extensions, which other tools will not read:
 *   MAJ(a, b, c)      strict majority
 *   THR<k>(…)         at least k inputs true, e.g. THR2(a, b, c)
 *   MOD<m>(…)         number of true inputs divisible by m, e.g. MOD3(a, b, c)
 * DFF (ISCAS-89 flip-flops) is refused: depthlab circuits are combinational.
 *
 * Every error is a CircuitError('format') with a one-line message
 * `source:LINE: …` naming the token and the fix; malformed text never raises
 * anything else.
 *
 * This module is the format's entry point; it re-exports
 *   parseBench.ts                    parseBench (reading, name checks)
 *   circuitToBench.ts                circuitToBench, BenchWriteOptions (writing)
 * and the reader's line grammar is in
 *   _internals/benchStatement.ts     tokens, statements, gate names and arguments
 */
export { parseBench } from './parseBench.js';
export { circuitToBench, type BenchWriteOptions } from './circuitToBench.js';
