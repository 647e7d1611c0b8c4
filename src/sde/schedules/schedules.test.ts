/**
 * Schedules against closed forms (Song et al. 2021 App. B; Nichol & Dhariwal
 * 2021 Eq. 17; Karras et al. 2022 Eq. 5) and against the SDE they claim:
 * for x_t = a x0 + s z to be the marginal of dx = f x dt + g dW we need
 *   d/dt log a(t) = f(t)   and   d/dt s(t)² = 2 f(t) s(t)² + g(t)²,
 * checked here by 5-point finite differences.
 */
import { describe, expect, it } from 'vitest';
import {
  adaptiveSimpson,
  alphaBar,
  cosine,
  edm,
  edmSigmas,
  edmTimeGrid,
  expressionSchedule,
  SCHEDULE_NAMES,
  scheduleByName,
  snr,
  subVp,
  ve,
  vpLinear,
  type Schedule,
} from './index.js';

/** 5-point central difference of F at t (error O(h⁴)). */
function derivative(F: (t: number) => number, t: number, h: number): number {
  return (F(t - 2 * h) - 8 * F(t - h) + 8 * F(t + h) - F(t + 2 * h)) / (12 * h);
}

function expectRelClose(got: number, want: number, tol: number, what: string): void {
  const err = Math.abs(got - want);
  const scale = Math.max(Math.abs(got), Math.abs(want));
  if (!(err <= tol * scale + 1e-300)) throw new Error(`${what}: got ${got}, want ${want} (relative error ${err / scale})`);
}

const ALL: [string, () => Schedule][] = [
  ['vp-linear', () => vpLinear()],
  ['vp-linear(1, 10)', () => vpLinear({ betaMin: 1, betaMax: 10 })],
  ['sub-vp', () => subVp()],
  ['cosine', () => cosine()],
  ['ve', () => ve()],
  ['edm', () => edm()],
  ['expr polynomial', () => expressionSchedule('0.1 + 19.9*t')],
  ['expr cubic', () => expressionSchedule('1 + 2*t + 3*t^3')],
  ['expr non-polynomial', () => expressionSchedule('0.1 + 19.9*t^2 + sin(t)')],
];

describe.each(ALL)('%s is the marginal of its SDE', (_name, make) => {
  const s = make();
  const lo = Math.max(s.tMin, 1e-3);
  const times = [lo, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.9999].filter((t) => t >= lo && t < s.T);

  it.each(times)('d/dt log a = f at t = %f', (t) => {
    const h = 1e-3 * Math.min(t, s.T - t, 0.1);
    const lhs = derivative((u) => Math.log(s.mean(u)), t, h);
    const rhs = s.drift(t);
    if (rhs === 0) expect(Math.abs(lhs)).toBeLessThan(1e-12);
    else expectRelClose(lhs, rhs, 1e-5, `d/dt log a at ${t}`);
  });

  it.each(times)('d/dt s² = 2 f s² + g² at t = %f', (t) => {
    const h = 1e-3 * Math.min(t, s.T - t, 0.1);
    const lhs = derivative((u) => s.std(u) ** 2, t, h);
    const rhs = 2 * s.drift(t) * s.std(t) ** 2 + s.diffusion(t) ** 2;
    expectRelClose(lhs, rhs, 1e-5, `d/dt s² at ${t}`);
  });

  it('has a ∈ (0, 1], s ≥ 0 and decreasing SNR on a grid over [tMin, T]', () => {
    let prev = Infinity;
    for (let i = 0; i <= 1000; i++) {
      const t = s.tMin + (i / 1000) * (s.T - s.tMin);
      const a = s.mean(t);
      expect(a).toBeGreaterThan(0);
      expect(a).toBeLessThanOrEqual(1);
      expect(s.std(t)).toBeGreaterThanOrEqual(0);
      const r = snr(s, t);
      expect(r).toBeLessThan(prev);
      prev = r;
    }
  });
});

describe('vp-linear', () => {
  const s = vpLinear();
  it('has ᾱ(1) = e^{−10.05} and closed-form β, B', () => {
    expectRelClose(alphaBar(s, 1), Math.exp(-10.05), 1e-14, 'ᾱ(1)');
    expectRelClose(s.beta(0.5), 0.1 + 0.5 * 19.9, 1e-15, 'β(0.5)');
    expectRelClose(s.integratedBeta(0.3), 0.1 * 0.3 + 0.5 * 19.9 * 0.09, 1e-15, 'B(0.3)');
    expect(s.name).toBe('vp-linear');
  });
  it('preserves variance: a² + s² = 1', () => {
    for (const t of [1e-3, 0.2, 0.7, 1]) expect(s.mean(t) ** 2 + s.std(t) ** 2).toBeCloseTo(1, 14);
  });
  it('keeps relative precision of s at small t', () => {
    const t = 1e-6;
    expectRelClose(s.std(t) ** 2, -Math.expm1(-(0.1 * t + 0.5 * 19.9 * t * t)), 1e-14, 's²(1e-6)');
  });
  it('rejects bad β ranges in one line', () => {
    expect(() => vpLinear({ betaMin: 5, betaMax: 1 })).toThrow(/^vp-linear: need finite 0 <= betaMin <= betaMax/);
  });
});

describe('sub-vp', () => {
  const s = subVp();
  const vp = vpLinear();
  it('has mean √ᾱ and std 1 − ᾱ (not its square root)', () => {
    for (const t of [0.01, 0.3, 1]) {
      const ab = Math.exp(-(0.1 * t + 0.5 * 19.9 * t * t));
      expectRelClose(s.mean(t), Math.sqrt(ab), 1e-14, 'mean');
      expectRelClose(s.std(t), 1 - ab, 1e-12, 'std');
      expectRelClose(s.diffusion(t) ** 2, (0.1 + 19.9 * t) * (1 - ab * ab), 1e-12, 'g²');
    }
  });
  it('has variance below the VP variance', () => {
    for (const t of [0.01, 0.3, 1]) expect(s.std(t)).toBeLessThan(vp.std(t));
  });
});

describe('ve', () => {
  const s = ve();
  it('has the exact marginal std √(σ² − σ_min²)', () => {
    for (const t of [1e-5, 0.1, 0.5, 1]) {
      const sigma = 0.01 * (50 / 0.01) ** t;
      expectRelClose(s.std(t), Math.sqrt(sigma * sigma - 1e-4), 1e-9, `std(${t})`);
      expectRelClose(s.sigma(t), sigma, 1e-13, `σ(${t})`);
      expectRelClose(s.diffusion(t), sigma * Math.sqrt(2 * Math.log(5000)), 1e-13, `g(${t})`);
    }
    expect(s.mean(0.7)).toBe(1);
    expect(s.drift(0.7)).toBe(0);
    expect(s.std(0)).toBe(0);
  });
  it('equals ∫₀ᵗ g² numerically', () => {
    for (const t of [0.2, 1]) {
      expectRelClose(adaptiveSimpson((u) => s.diffusion(u) ** 2, 0, t), s.std(t) ** 2, 1e-9, `∫g² to ${t}`);
    }
  });
});

describe('cosine', () => {
  const s = cosine();
  const offset = 0.008;
  const nd = (t: number): number => Math.cos(((t + offset) / (1 + offset)) * (Math.PI / 2)) ** 2 / Math.cos((offset / (1 + offset)) * (Math.PI / 2)) ** 2;

  it('has ᾱ(0) = 1, s(0) = 0, and ᾱ decreasing on [0, 1]', () => {
    expect(alphaBar(s, 0)).toBe(1);
    expect(s.std(0)).toBe(0);
    let prev = Infinity;
    for (let i = 0; i <= 10000; i++) {
      const ab = alphaBar(s, i / 10000);
      expect(ab).toBeLessThan(prev);
      prev = ab;
    }
    expect(alphaBar(s, 1)).toBeGreaterThan(0);
  });

  it('equals Nichol & Dhariwal ᾱ(t) below the clip and has β = π/(1+s)·tan φ', () => {
    for (const t of [0, 0.1, 0.5, 0.9, 0.999]) {
      expectRelClose(alphaBar(s, t), nd(t), 1e-9, `ᾱ(${t})`);
      if (t > 0) expectRelClose(s.std(t) ** 2, 1 - nd(t), 1e-12, `s²(${t})`);
      const phi = ((t + offset) / (1 + offset)) * (Math.PI / 2);
      expectRelClose(s.beta(t), (Math.PI / (1 + offset)) * Math.tan(phi), 1e-9, `β(${t})`);
    }
  });

  it('clips the rate at −1000·ln(0.001), so every discrete β_i ≤ 0.999 on the 1000-step grid', () => {
    expectRelClose(s.betaCap, 1000 * Math.log(1000), 1e-14, 'β_cap');
    expect(s.tClip).toBeGreaterThan(0.999);
    expect(s.tClip).toBeLessThan(1);
    expectRelClose(s.beta(s.tClip - 1e-12), s.betaCap, 1e-6, 'β continuous at t_c');
    for (let i = 1; i <= 1000; i++) {
      const discrete = 1 - alphaBar(s, i / 1000) / alphaBar(s, (i - 1) / 1000);
      expect(discrete).toBeLessThanOrEqual(0.999);
      if (i < 1000) expectRelClose(discrete, 1 - nd(i / 1000) / nd((i - 1) / 1000), 1e-8, `discrete β_${i}`);
    }
  });
});

describe('edm', () => {
  it('gives Karras σ grids: σ_max first, σ_min last but one, a trailing 0, ρ-spaced', () => {
    for (const n of [2, 5, 18, 256]) {
      const sig = edmSigmas({ n });
      expect(sig.length).toBe(n + 1);
      expect(sig[0]).toBe(80);
      expect(sig[n - 1]).toBe(0.002);
      expect(sig[n]).toBe(0);
      const step = (0.002 ** (1 / 7) - 80 ** (1 / 7)) / (n - 1);
      for (let i = 0; i < n; i++) {
        expectRelClose(sig[i]! ** (1 / 7), 80 ** (1 / 7) + i * step, 1e-13, `σ_${i}^{1/ρ}`);
        if (i > 0) expect(sig[i]!).toBeLessThan(sig[i - 1]!);
      }
    }
  });

  it('matches the paper formula with other parameters', () => {
    const sig = edmSigmas({ n: 4, sigmaMin: 0.01, sigmaMax: 10, rho: 3 });
    const want = [0, 1, 2, 3].map((i) => (10 ** (1 / 3) + (i / 3) * (0.01 ** (1 / 3) - 10 ** (1 / 3))) ** 3);
    for (let i = 0; i < 4; i++) expectRelClose(sig[i]!, want[i]!, 1e-13, `σ_${i}`);
  });

  it('has σ(t) on edmTimeGrid equal to the Karras levels', () => {
    const s = edm();
    const n = 40;
    const grid = edmTimeGrid(n);
    const sig = edmSigmas({ n });
    expect(grid[0]).toBe(1);
    expect(grid[n - 1]).toBe(0);
    for (let i = 0; i < n; i++) expectRelClose(s.std(grid[i]!), sig[i]!, 1e-12, `σ(t_${i})`);
    expect(s.mean(0.3)).toBe(1);
    expect(s.drift(0.3)).toBe(0);
    expectRelClose(s.std(1), 80, 1e-12, 'σ(1)');
    expectRelClose(s.std(0), 0.002, 1e-12, 'σ(0)');
  });

  it('rejects grids of fewer than 2 levels in one line', () => {
    expect(() => edmSigmas({ n: 1 })).toThrow(/^edmSigmas: n must be an integer >= 2/);
    expect(() => edmTimeGrid(1.5)).toThrow(/^edmTimeGrid: n must be an integer >= 2/);
  });
});

describe('expression schedules', () => {
  it('"0.1 + 19.9*t" integrates symbolically and equals vpLinear() to 1e-12', () => {
    const e = expressionSchedule('0.1 + 19.9*t');
    const v = vpLinear();
    expect(e.method).toBe('symbolic');
    expect(e.name).toBe('expr:0.1 + 19.9*t');
    for (let i = 0; i <= 100; i++) {
      const t = i / 100;
      for (const k of ['mean', 'std', 'drift', 'diffusion', 'integratedBeta', 'beta'] as const) {
        expect(Math.abs(e[k](t) - v[k](t))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v[k](t))));
      }
    }
  });

  it('expands polynomials given in other forms', () => {
    const e = expressionSchedule('(1 + t)^3 / 2 + pi*t');
    expect(e.method).toBe('symbolic');
    const t = 0.7;
    expectRelClose(e.integratedBeta(t), ((1 + t) ** 4 - 1) / 8 + (Math.PI * t * t) / 2, 1e-13, 'B(0.7)');
    expect(expressionSchedule('3').method).toBe('symbolic');
    expectRelClose(expressionSchedule('3').integratedBeta(0.5), 1.5, 1e-15, 'B for a constant rate');
  });

  it('integrates "0.1 + 19.9*t^2 + sin(t)" numerically within the stated tolerance', () => {
    const e = expressionSchedule('0.1 + 19.9*t^2 + sin(t)');
    expect(e.method).toBe('numerical');
    for (const t of [1e-3, 0.013, 0.25, 0.5, 0.77, 1]) {
      const exact = 0.1 * t + (19.9 * t ** 3) / 3 + (1 - Math.cos(t));
      expectRelClose(e.integratedBeta(t), exact, 1e-9, `B(${t})`);
      expectRelClose(e.mean(t), Math.exp(-exact / 2), 1e-9, `a(${t})`);
    }
  });

  it('integrates rational and piecewise rates numerically', () => {
    const r = expressionSchedule('1/(1+t)');
    expect(r.method).toBe('numerical');
    expectRelClose(r.integratedBeta(1), Math.log(2), 1e-9, 'B for 1/(1+t)');
    const p = expressionSchedule('t < 0.5 ? 1 : 3');
    expect(p.method).toBe('numerical');
    expectRelClose(p.integratedBeta(1), 2, 1e-9, 'B for a step rate');
  });

  it.each([
    ['0.1 + 19.9*x', /unknown variable "x"/],
    ['foo(t)', /function "foo" is not allowed/],
    ['0.1 - t', /β\(0\.5\d*\) = -[\d.e-]+ is negative|is negative/],
    ['1/t', /β\(0\) = Infinity is not finite/],
    ['sqrt(t - 2)', /is not a real number/],
    ['0.1 +* t', /does not parse/],
    ['0*t', /β is 0 on all of \[0, 1\]/],
    ['t = 3', /is not allowed/],
    ['', /the expression is empty/],
  ])('rejects %j with a one-line message naming it', (text, problem) => {
    let message = '';
    try {
      expressionSchedule(text);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(problem);
    expect(message.startsWith(`schedule expr:${text.trim()}: `)).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('adaptive Simpson meets its relative tolerance on known integrals', () => {
    expectRelClose(adaptiveSimpson(Math.exp, 0, 3), Math.expm1(3), 1e-10, '∫e^x');
    expectRelClose(adaptiveSimpson((x) => 1 / (1 + x * x), 0, 1), Math.PI / 4, 1e-10, '∫1/(1+x²)');
    expectRelClose(adaptiveSimpson((x) => Math.sqrt(x), 0, 1), 2 / 3, 1e-9, '∫√x');
    expect(adaptiveSimpson(Math.exp, 1, 1)).toBe(0);
  });
});

describe('registry', () => {
  it('builds every named schedule under its own name', () => {
    for (const name of SCHEDULE_NAMES) expect(scheduleByName(name).name).toBe(name);
    expect(scheduleByName('expr:0.1 + 19.9*t').name).toBe('expr:0.1 + 19.9*t');
  });
  it('rejects unknown names in one line listing the names', () => {
    expect(() => scheduleByName('vp')).toThrow(
      'unknown schedule "vp"; use one of vp-linear, sub-vp, cosine, ve, edm, or expr:EXPRESSION (β(t) in t, e.g. expr:0.1 + 19.9*t)',
    );
  });
});
