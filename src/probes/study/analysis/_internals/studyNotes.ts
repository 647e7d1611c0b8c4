/**
 * The caveats a study's numbers need, as plain sentences: cells left out
 * (failed, not done, not completed), thin seeds, fits refused or resting on
 * few points, optima still improving at the longest run, points dropped as
 * overfitting, R = ∞ not rejected, no crossing. The report lists them in its
 * summary; results.json carries them.
 */
import type { StudyCounts, StudyPair, StudySeries } from '../analyseStudyTypes.js';

/** Below this many seeds per run the notes call the spread rough. */
const FEW_SEEDS = 3;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function countNotes(c: StudyCounts, resultless: number): string[] {
  const out: string[] = [];
  if (c.total === 0) out.push('The study has no cells.');
  else if (c.done === 0) out.push('No cell is done yet: there is nothing to analyse beyond the counts.');
  if (c.missing > 0) out.push(`${plural(c.missing, 'cell')} not done (${c.pending} pending, ${c.running} running): every result covers done cells only.`);
  if (c.failed > 0) out.push(`${plural(c.failed, 'cell')} failed and ${c.failed === 1 ? 'is' : 'are'} left out of every result.`);
  if (c.not_completed > 0) out.push(`${plural(c.not_completed, 'done run')} diverged or stopped early: ${c.not_completed === 1 ? 'its curve counts' : 'their curves count'} toward best losses and crossovers, but give no final point to the R_D* fit.`);
  if (resultless > 0) out.push(`${plural(resultless, 'done cell')} carry no result and ${resultless === 1 ? 'is' : 'are'} left out.`);
  return out;
}

function seedNotes(series: readonly StudySeries[]): string[] {
  const counts = series.flatMap((s) => s.budgets.flatMap((b) => b.runs.map((r) => r.seeds.length)));
  if (counts.length === 0) return [];
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  if (hi === 1) return ['Every run has one seed: there is no spread over seeds, and the fits\' intervals reflect only the scatter of points across U and E, not seed-to-seed variation.'];
  if (lo === 1) return [`${plural(counts.filter((n) => n === 1).length, 'run')} of ${counts.length} (per series, U and E) rest on one seed.`];
  if (lo < FEW_SEEDS) return [`Runs average few seeds (n = ${lo === hi ? lo : `${lo}–${hi}`}): the min–max and sd describe those seeds only.`];
  return [];
}

function seriesNotes(s: StudySeries): string[] {
  const out: string[] = [];
  const r = s.r_d_star;
  if (r.status === 'insufficient') out.push(`${s.label}: R_D* not fitted: ${r.reason ?? 'no reason given'}.`);
  if (r.dropped_points > 0) {
    const where = s.budgets.filter((b) => b.overfit_epochs.length > 0).map((b) => `U = ${b.unique_tokens}: E = ${b.overfit_epochs.join(', ')}`);
    out.push(`${s.label}: ${plural(r.dropped_points, 'final point')} past the overfitting minimum (loss rising with E) left out of the R_D* fit (${where.join('; ')}).`);
  }
  if (r.status === 'fitted') {
    if (r.value === Infinity) out.push(`${s.label}: R = ∞ (no diminishing returns) is not rejected by these points; the profile interval's lower end, ${r.profile?.[0]?.toPrecision(3) ?? '?'}, is a lower bound on R_D*.`);
    if (new Set(r.points.filter((p) => !p.dropped).map((p) => p.unique_tokens)).size === 1) out.push(`${s.label}: every fitted point is at one U, so R and β are poorly separated.`);
  }
  const censored = s.budgets.filter((b) => b.best?.censored);
  if (censored.length > 0) {
    const where = censored.map((b) => `U = ${b.unique_tokens} (E = ${b.best!.run_epochs})`).join(', ');
    out.push(`${s.label}: the best loss is at the end of the longest run at ${where}: still improving, the optimum may lie beyond.`);
  }
  return out;
}

function pairNotes(pairs: readonly StudyPair[], series: readonly StudySeries[]): string[] {
  const families = new Set(series.map((s) => s.family));
  if (pairs.length === 0 && families.has('ar') && families.has('diffusion')) return ['No AR and diffusion series share a corpus, held-out set and size: no crossover is computed.'];
  return pairs.flatMap((p) => {
    const name = `${p.ar_label} vs ${p.diffusion_label}`;
    if (p.c_crit.status === 'insufficient') return [`${name}: C_crit(U) not fitted: ${p.c_crit.reason ?? 'no reason given'}.`];
    return p.c_crit.n_points <= 3 ? [`${name}: C_crit(U) fitted on ${p.c_crit.n_points} crossings: γ and its interval are descriptive at best.`] : [];
  });
}

export function studyNotes(counts: StudyCounts, resultless: number, series: readonly StudySeries[], pairs: readonly StudyPair[]): string[] {
  return [...countNotes(counts, resultless), ...seedNotes(series), ...series.flatMap(seriesNotes), ...pairNotes(pairs, series)];
}
