/**
 * Vega-Lite → SVG in plain Node (no browser, no canvas): compile the
 * Vega-Lite spec to Vega, run it headless, serialise the scene graph to SVG.
 * Text widths are estimated without a canvas, which is fine for figures.
 */
import type { TopLevelSpec } from 'vega-lite';

export type VegaLiteSpec = TopLevelSpec;

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  // Loaded on first use: together they add about 1 s to start-up.
  const [{ parse, View, logger, None }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  // The library never prints: warnings (e.g. vega-lite's optimiser stopping early) are silenced; a broken spec still throws.
  const quiet = logger(None);
  const view = new View(parse(compile(spec, { logger: quiet }).spec), { renderer: 'none', logger: quiet });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A line chart of rows {x, y, series}: the figure most depthlab commands draw. */
export function lineChart(options: {
  readonly title: string;
  readonly rows: readonly Record<string, unknown>[];
  readonly x: { readonly field: string; readonly title: string; readonly log?: boolean };
  readonly y: { readonly field: string; readonly title: string; readonly log?: boolean };
  readonly series?: { readonly field: string; readonly title: string };
}): VegaLiteSpec {
  const axis = (a: { field: string; title: string; log?: boolean }) => ({
    field: a.field,
    type: 'quantitative' as const,
    title: a.title,
    ...(a.log ? { scale: { type: 'log' as const } } : {}),
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    width: 480,
    height: 300,
    data: { values: options.rows as Record<string, unknown>[] },
    mark: { type: 'line', point: true },
    encoding: {
      x: axis(options.x),
      y: axis(options.y),
      ...(options.series ? { color: { field: options.series.field, type: 'nominal' as const, title: options.series.title } } : {}),
    },
  } as VegaLiteSpec;
}
