#!/usr/bin/env node
/**
 * depthlab's command line. Parses, calls the library, prints, sets the exit
 * status: 0 success, 1 runtime failure, 2 usage or input error (one line on
 * stderr naming the field, the bad value and the fix; never a stack trace —
 * set DEPTHLAB_DEBUG=1 to see one).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CircuitError } from './circuits/index.js';
import { registerCircuitCommands } from './cli/circuit.js';
import { registerDemoCommand } from './cli/demo.js';
import { registerProbeCommands } from './cli/probe.js';
import { registerReportCommand } from './cli/report.js';
import { registerSdeCommands } from './cli/sde.js';
import { registerStudyCommands } from './cli/study.js';
import { registerTaskCommands } from './cli/tasks.js';
import { registerTrainCommand } from './cli/train.js';
import { registerVerifyCommand } from './cli/verify.js';
import { UsageError } from './cli/_internals/UsageError.js';
import { currentBackendName } from './models/backend/tfRuntime.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

function buildProgram(): Command {
  const program = new Command('depthlab')
    .description('Measure how much sequential depth generative models can express: circuit families, task suites by depth, probes.')
    .version(pkg.version, '-V, --version')
    .exitOverride()
    .configureOutput({ outputError: () => {} }); // errors are printed once, below, as one line
  registerDemoCommand(program);
  registerCircuitCommands(program);
  registerTaskCommands(program);
  registerVerifyCommand(program);
  registerSdeCommands(program);
  registerTrainCommand(program);
  registerProbeCommands(program);
  registerReportCommand(program);
  registerStudyCommands(program);
  for (const cmd of program.commands) propagate(cmd);
  return program;
}

/** Subcommands inherit exitOverride and the silent error writer. */
function propagate(cmd: Command): void {
  cmd.exitOverride().configureOutput({ outputError: () => {} });
  for (const sub of cmd.commands) propagate(sub);
}

function fail(status: 1 | 2, message: string, err?: unknown): void {
  process.stderr.write(`depthlab: ${message.split('\n')[0]}\n`);
  if (process.env['DEPTHLAB_DEBUG'] && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exitCode = status;
}

async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return; // --help, --version
      // A command group run without a subcommand: commander has printed its help.
      if (err.code === 'commander.help') {
        process.exitCode = 2;
        return;
      }
      return fail(2, `${err.message.replace(/^error: /, '')} (run depthlab --help for usage)`, err);
    }
    if (err instanceof UsageError || err instanceof CircuitError) return fail(2, err.message, err);
    return fail(1, `internal error: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}

// `depthlab … | head` closes stdout early; that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

await main(process.argv);
// Dawn (the webgpu backend) keeps the event loop alive once started: leave when the command is done.
if (currentBackendName() === 'webgpu') process.exit();
