/**
 * `depthlab sde …` — diffusion processes with exact and approximate scores.
 * Each command prints a table (or --json) and writes PREFIX.json with the
 * results and PREFIX.svg with the figure.
 */
import type { Command } from 'commander';
import { registerScheduleCommand } from './sde/schedule.js';

export function registerSdeCommands(program: Command): void {
  const sde = program.command('sde').description('diffusion SDEs: schedules, exact and approximate scores, samplers, spectra, masked diffusion');
  registerScheduleCommand(sde);
}
