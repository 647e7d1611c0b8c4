/**
 * `depthlab sde …` — diffusion processes with exact and approximate scores.
 * Each command prints a table (or --json) and writes PREFIX.json with the
 * results and PREFIX.svg with the figure.
 */
import type { Command } from 'commander';
import { registerScheduleCommand } from './sde/schedule.js';
import { registerErrorSweepCommand } from './sde/errorSweep.js';
import { registerMaskedCommand } from './sde/masked.js';
import { registerScoreCommand } from './sde/score.js';
import { registerSpectrumCommand } from './sde/spectrum.js';

export function registerSdeCommands(program: Command): void {
  const sde = program.command('sde').description('diffusion SDEs: schedules, exact and approximate scores, samplers, spectra, masked diffusion');
  registerScheduleCommand(sde);
  registerScoreCommand(sde);
  registerErrorSweepCommand(sde);
  registerSpectrumCommand(sde);
  registerMaskedCommand(sde);
}
