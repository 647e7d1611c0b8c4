/**
 * The study report's result sections:
 *
 *   constants   fitted R_D* per series and γ per pair beside the published
 *               values (Prabhudesai et al. 2025: diffusion ≈ 500 (494–513),
 *               AR ≈ 31, ≈ 15 in the earlier version; γ = 2.174)
 *   R_D*        every series' fit: status, value, both intervals, points
 *               fitted and dropped, L∞, B, β, R², or why it was not fitted
 *   losses      per series: final held-out bits of each (U, E) (seed mean,
 *               min–max, sd, seeds) and the best loss per U with where it
 *               occurs
 *   crossover   per AR/diffusion pair: the crossing (or its absence) at each
 *               U and the C_crit(U) power law
 *   figures     studyFigures.ts
 */
import type { Block, Section } from '../../report/reportDocument.js';
import type { StudyAnalysis, StudyCrossing, StudyPair, StudySeries } from '../analysis/index.js';
import type { StudyReportContext } from './studyDocument.js';
import { bits, flops, rInterval, rValue, slope, tokens } from './_internals/studyFormat.js';
import { fixed } from '../../report/_internals/format.js';

function published(s: StudySeries, analysis: StudyAnalysis): string {
  const p = analysis.published;
  if (s.family === 'diffusion') return `≈ ${p.r_d_star_diffusion.value} (${p.r_d_star_diffusion.range[0]}–${p.r_d_star_diffusion.range[1]})`;
  if (s.model === 'ar') return `≈ ${p.r_d_star_ar.value} (earlier version ≈ ${p.r_d_star_ar.earlier_value})`;
  if (s.model === 'ar-orders') return 'not given (AR with N fixed orders approaches diffusion, N = 16)';
  return '—';
}

function fittedText(s: StudySeries): string {
  const r = s.r_d_star;
  if (r.status !== 'fitted' || r.value === null) return `not fitted (${r.n_points} points)`;
  return `${rValue(r.value)} ${rInterval(r.interval)}`;
}

function constants({ analysis }: StudyReportContext): Section {
  const blocks: Block[] = [{
    type: 'table',
    caption: 'R_D*: fitted (95% bootstrap interval) beside published',
    header: ['series', 'fitted R_D*', 'published R_D*'],
    rows: analysis.series.map((s) => [s.label, fittedText(s), published(s, analysis)]),
  }];
  if (analysis.pairs.length > 0) {
    blocks.push({
      type: 'table',
      caption: 'C_crit(U) ∝ U^γ: fitted (95% bootstrap interval) beside published',
      header: ['pair', 'fitted γ', 'published γ'],
      rows: analysis.pairs.map((p) => [
        `${p.ar_label} vs ${p.diffusion_label}`,
        p.c_crit.status === 'fitted' && p.c_crit.gamma !== null ? `${slope(p.c_crit.gamma)} [${slope(p.c_crit.interval![0])}, ${slope(p.c_crit.interval![1])}] (${p.c_crit.n_points} crossings)` : `not fitted (${p.c_crit.n_points} crossings)`,
        String(analysis.published.c_crit_gamma),
      ]),
    });
  }
  blocks.push({ type: 'text', text: `Published: ${analysis.published.source}. Their models, corpus and budgets are far larger than a depthlab run; the comparison is of direction and rough size, not of the numbers.` });
  return { id: 'constants', title: 'Fitted and published constants', blocks };
}

const maybe = (x: number | null, f: (v: number) => string): string => (x === null ? '—' : f(x));

function rDStar({ analysis }: StudyReportContext): Section {
  if (analysis.series.length === 0) return { id: 'r-d-star', title: 'R_D* per series', blocks: [{ type: 'text', text: 'No done runs: nothing to fit.' }] };
  return {
    id: 'r-d-star',
    title: 'R_D* per series',
    blocks: [{
      type: 'table',
      header: ['series', 'status', 'R_D*', 'bootstrap 95%', 'profile 95%', 'diminishing returns', 'points fitted', 'dropped (overfitting)', 'L∞', 'B', 'β', 'R²', 'reason'],
      rows: analysis.series.map((s) => {
        const r = s.r_d_star;
        return [
          s.label, r.status, maybe(r.value, rValue), rInterval(r.interval), rInterval(r.profile), r.diminishing_returns === null ? '—' : r.diminishing_returns ? 'yes' : 'no (R = ∞ not rejected)',
          String(r.n_points), String(r.dropped_points), maybe(r.l_inf, bits), maybe(r.b, (v) => v.toPrecision(3)), maybe(r.beta, (v) => fixed(v, 3)), maybe(r.r2, (v) => fixed(v, 4)), r.reason ?? '',
        ];
      }),
    }],
  };
}

function seriesLosses(s: StudySeries): Block[] {
  const finals: Block = {
    type: 'table',
    caption: `${s.label}: final held-out bits/token per U and E`,
    header: ['U', 'E', 'final bits (mean)', 'min–max', 'sd', 'seeds', 'not completed', 'FLOPs', 'in R_D* fit'],
    rows: s.budgets.flatMap((b) =>
      b.runs.map((r) => {
        const f = r.final_bits;
        return [
          tokens(b.unique_tokens), String(r.epochs), f ? bits(f.mean) : '—', f ? `${bits(f.min)}–${bits(f.max)}` : '—', f?.sd === null || f === null ? '—' : bits(f.sd),
          String(r.seeds.length), String(r.not_completed), flops(r.flops), f === null ? 'no (no completed seed)' : b.overfit_epochs.includes(r.epochs) ? 'no (past the minimum)' : 'yes',
        ];
      }),
    ),
  };
  const best: Block = {
    type: 'table',
    caption: `${s.label}: best held-out bits/token per U (over every evaluation of every run)`,
    header: ['U', 'best bits', 'at epoch', 'of the run with E', 'FLOPs', 'lowest final at E', 'longest run above it (bits)', 'still improving'],
    rows: s.budgets.map((b) => [
      tokens(b.unique_tokens), b.best ? bits(b.best.bits) : '—', b.best ? fixed(b.best.epoch, 3) : '—', b.best ? String(b.best.run_epochs) : '—',
      b.best ? flops(b.best.flops) : '—', b.final_minimum_epochs === null ? '—' : String(b.final_minimum_epochs),
      b.overfit_rise === null ? '—' : `+${fixed(b.overfit_rise, 3)}`, b.best?.censored ? 'yes (censored)' : 'no',
    ]),
  };
  return [finals, best];
}

function losses({ analysis }: StudyReportContext): Section {
  const blocks = analysis.series.flatMap(seriesLosses);
  return { id: 'losses', title: 'Held-out losses', blocks: blocks.length > 0 ? blocks : [{ type: 'text', text: 'No done runs.' }] };
}

function crossingText(c: StudyCrossing): string {
  switch (c.status) {
    case 'crossing':
      return c.sign_changes !== null && c.sign_changes > 1 ? `crossed (the curves cross ${c.sign_changes} times; the last crossing counts)` : 'crossed';
    case 'never':
      return c.diffusion_ahead_from_start ? 'never crossed in the measured range (diffusion led only near initialisation)' : 'never crossed in the measured range';
    case 'diffusion-ahead-from-start':
      return 'diffusion ahead over the whole shared compute range (C_crit below the range)';
    case 'no-overlap':
      return 'no shared compute range';
  }
}

function pairBlocks(p: StudyPair): Block[] {
  const fit = p.c_crit;
  const fitText = fit.status === 'fitted' && fit.a !== null && fit.gamma !== null
    ? `C_crit(U) = ${fit.a.toPrecision(3)}·U^${slope(fit.gamma)} (γ 95% bootstrap [${slope(fit.interval![0])}, ${slope(fit.interval![1])}], R² ${fit.r2 === null ? 'undefined' : fixed(fit.r2, 3)}, ${fit.n_points} crossings).`
    : `C_crit(U) not fitted: ${fit.reason ?? 'no reason given'}.`;
  return [
    {
      type: 'table',
      caption: `${p.ar_label} vs ${p.diffusion_label}`,
      header: ['U', 'outcome', 'C_crit (FLOPs)', 'loss at C_crit', 'compute range compared'],
      rows: p.crossings.map((c) => [
        tokens(c.unique_tokens), crossingText(c), c.compute === null ? '—' : flops(c.compute), c.loss === null ? '—' : bits(c.loss),
        c.range === null ? '—' : `${flops(c.range[0])} – ${flops(c.range[1])}`,
      ]),
    },
    { type: 'text', text: fitText },
  ];
}

function crossover({ analysis }: StudyReportContext): Section {
  const blocks = analysis.pairs.flatMap(pairBlocks);
  const none = analysis.series.some((s) => s.family === 'ar') && analysis.series.some((s) => s.family === 'diffusion')
    ? 'No AR and diffusion series share a corpus, held-out set and size: nothing to compare.'
    : 'The study needs both an AR-family and a diffusion series of the same setting for a crossover.';
  return { id: 'crossover', title: 'Crossover compute', blocks: blocks.length > 0 ? blocks : [{ type: 'text', text: none }] };
}

function figures({ figures }: StudyReportContext): Section {
  return { id: 'figures', title: 'Figures', blocks: [{ type: 'figures', figures: figures.map(({ name, title, caption }) => ({ name, title, caption })) }] };
}

export function studyResults(context: StudyReportContext): Section[] {
  return [constants(context), rDStar(context), losses(context), crossover(context), figures(context)];
}
