/** The headless Vega-Lite renderer produces a real SVG with the chart's title and marks. */
import { describe, expect, it } from 'vitest';
import { lineChart, renderSvg } from './renderSvg.js';

describe('renderSvg', () => {
  it('renders a line chart to SVG in plain Node', async () => {
    const svg = await renderSvg(lineChart({
      title: 'error vs steps',
      rows: [{ n: 1, e: 0.5, s: 'a' }, { n: 10, e: 0.1, s: 'a' }, { n: 100, e: 0.02, s: 'a' }],
      x: { field: 'n', title: 'steps', log: true },
      y: { field: 'e', title: 'error', log: true },
      series: { field: 's', title: 'series' },
    }));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('error vs steps');
    expect(svg).toContain('<path');
  });
});
