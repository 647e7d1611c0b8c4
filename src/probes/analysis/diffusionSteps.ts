/**
 * diffusionSteps — masked diffusion's accuracy as a function of its denoising
 * steps S, at each depth: how sampling compute trades against depth.
 *
 * The diffusion series (accuracyByDepth) that differ only in S are gathered
 * per (task, size, rest of the variant); at each depth d, each S tested gives
 * the same estimate as its series' point at d: the mean over seeds with the
 * bootstrap 95% interval. S = null is the automatic default (one step per
 * generated position), listed after the explicit S.
 */
import type { AccuracySeries, DiffusionStepsView, StepsPoint } from './Analysis.js';
import { compareIds, distinctSorted } from './_internals/order.js';
import { keyOf, variantLabel } from './_internals/variant.js';

/** The config field that is this view's x axis. */
const STEPS_FIELD = 'denoisingSteps';

export function diffusionSteps(series: readonly AccuracySeries[]): DiffusionStepsView[] {
  const groups = new Map<string, { view: Omit<DiffusionStepsView, 'depths'>; members: AccuracySeries[] }>();
  for (const s of series) {
    if (s.model !== 'diffusion') continue;
    const { [STEPS_FIELD]: _steps, ...variant } = s.variant;
    const key = keyOf({ task: s.task, group: s.group, model: s.model, variant, layers: s.layers, dModel: s.dModel });
    const group = groups.get(key) ?? {
      view: { task: s.task, group: s.group, model: s.model, variant, label: variantLabel(s.model, variant), layers: s.layers, dModel: s.dModel, key },
      members: [],
    };
    groups.set(key, group);
    group.members.push(s);
  }
  const stepsOf = (s: AccuracySeries): number | null => {
    const value = s.variant[STEPS_FIELD];
    return typeof value === 'number' ? value : null;
  };
  const views: DiffusionStepsView[] = [];
  for (const { view, members } of groups.values()) {
    // Explicit S ascending, the automatic default (null) last.
    const rank = (s: AccuracySeries): number => stepsOf(s) ?? Number.MAX_VALUE;
    const ordered = [...members].sort((a, b) => rank(a) - rank(b));
    const depths = distinctSorted(members.flatMap((s) => s.points.map((p) => p.depth))).map((depth) => ({
      depth,
      points: ordered.flatMap((s): StepsPoint[] => {
        const point = s.points.find((p) => p.depth === depth);
        return point === undefined ? [] : [{ denoisingSteps: stepsOf(s), mean: point.mean, lo: point.lo, hi: point.hi, n: point.n }];
      }),
    }));
    views.push({ ...view, depths });
  }
  return views.sort(compareIds);
}
