/**
 * `depthlab verify` — the property suite of the circuit families and task
 * generators as a user-facing check, or (with --circuit) a user's circuit
 * checked against a family's reference function. Exit 1 on any failure, with
 * the counterexample and how to replay it.
 */
import type { Command } from 'commander';
import { findFamily, FAMILIES, readCircuitFile, verification } from '../circuits/index.js';
import { log, printJson, printLines, table } from './_internals/output.js';
import { integerFlag } from './_internals/parse.js';
import { UsageError } from './_internals/UsageError.js';

interface VerifyFlags {
  family?: string;
  runs: number;
  seed: number;
  json?: boolean;
  circuit?: string;
  against?: string;
  n?: number;
}

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description('run the property-based verification of circuit families and task generators, or check a circuit against a family')
    .option('--family <f>', 'only the properties about this family or task (e.g. parity, s5, barrington)')
    .option('--runs <n>', 'fast-check runs per property (or random inputs with --circuit)', integerFlag('--runs', 1, 1e7), 100)
    .option('--seed <s>', 'fast-check seed (replay a failure with the seed it printed)', integerFlag('--seed', -(2 ** 31), 2 ** 31 - 1), 0)
    .option('--circuit <file>', 'a circuit (.json or .bench) to check against --against FAMILY at --n N')
    .option('--against <family>', 'the family whose reference function the circuit must compute')
    .option('--n <n>', 'the family size to compare with (e.g. number of inputs for parity)', integerFlag('--n', 1, 1 << 20))
    .option('--json', 'print one JSON document')
    .action(async (opts: VerifyFlags) => {
      if (opts.circuit !== undefined || opts.against !== undefined || opts.n !== undefined) return checkCircuit(opts);
      if (opts.family !== undefined && !verification.verificationSubjects().includes(opts.family)) {
        throw new UsageError(`--family ${JSON.stringify(opts.family)} has no properties; use one of ${verification.verificationSubjects().join(', ')}`);
      }
      const results = verification.runVerification({
        ...(opts.family === undefined ? {} : { subject: opts.family }),
        numRuns: opts.runs,
        seed: opts.seed,
        onResult: (r, i, total) => log(`[${i + 1}/${total}] ${r.ok ? 'ok  ' : 'FAIL'} ${r.name}`),
      });
      const failures = results.filter((r) => !r.ok);
      if (opts.json) printJson({ seed: opts.seed, runs: opts.runs, passed: results.length - failures.length, failed: failures.length, results });
      else {
        printLines([
          ...table(['property', 'runs', 'result'], results.map((r) => [r.name, r.numRuns, r.ok ? 'ok' : 'FAILED'])),
          ...failures.flatMap((f) => [
            '',
            `FAILED: ${f.name}`,
            `  ${f.error ?? ''}`,
            ...(f.counterexample === undefined ? [] : [`  counterexample: ${f.counterexample}`]),
            `  replay: depthlab verify --seed ${f.seed}${opts.family === undefined ? '' : ` --family ${opts.family}`} --runs ${opts.runs}   (fast-check seed ${f.seed}${f.path === undefined ? '' : `, path "${f.path}"`})`,
          ]),
          '',
          `${results.length - failures.length} passed, ${failures.length} failed`,
        ]);
      }
      if (failures.length > 0) process.exitCode = 1;
    });
}

async function checkCircuit(opts: VerifyFlags): Promise<void> {
  if (opts.circuit === undefined || opts.against === undefined || opts.n === undefined) {
    throw new UsageError('checking a circuit needs all three of --circuit FILE, --against FAMILY and --n N');
  }
  const family = findFamily(opts.against);
  if (family === undefined) throw new UsageError(`--against ${JSON.stringify(opts.against)} is not a family; use one of ${FAMILIES.map((f) => f.name).join(', ')}`);
  const circuit = await readCircuitFile(opts.circuit);
  const check = verification.checkAgainstFamily(circuit, family, opts.n, opts.runs, opts.seed);
  if (opts.json) printJson({ file: opts.circuit, ...check });
  else {
    printLines([
      `${opts.circuit} against ${family.name} at n=${opts.n}: ${check.exhaustive ? `all ${check.vectors} inputs` : `${check.vectors} random inputs (seed ${opts.seed})`}, ${check.mismatches} mismatches`,
      ...(check.counterexample === undefined ? [] : [`counterexample: input ${check.counterexample.input} (input declaration order) gives ${check.counterexample.got}, the reference ${check.counterexample.expected}`]),
    ]);
  }
  if (check.mismatches > 0) process.exitCode = 1;
}
