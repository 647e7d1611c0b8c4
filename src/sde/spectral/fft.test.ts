/**
 * The FFT (radix-2 and Bluestein, 1-D and 2-D) against two independent
 * references: mathjs's fft and the O(n²) DFT X_k = Σ_j x_j e^{−2πi jk/n};
 * inversion and Parseval (‖X‖ = ‖x‖ under the unitary normalisation).
 */
import { complex, fft as mathFft, type Complex } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { NormalSampler, rngFromSeed } from '../_internals/random.js';
import { fft, fft2, fftFrequencies, fftInPlace, ifft, ifft2, naiveDft } from './fft.js';

function randomSignal(n: number, seed: number): { re: Float64Array; im: Float64Array } {
  const normals = new NormalSampler(rngFromSeed(seed));
  return { re: normals.fill(new Float64Array(n)), im: normals.fill(new Float64Array(n)) };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

const lengths = [1, 2, 3, 5, 7, 8, 12, 16, 17, 30, 64, 97, 100, 128, 255, 256, 1000, 1024];

describe('fft', () => {
  it.each(lengths)('matches mathjs fft at length %i', (n) => {
    const { re, im } = randomSignal(n, n);
    const want = mathFft(Array.from(re, (r, k) => complex(r, im[k]!))) as Complex[];
    const got = fft(re, im);
    const tol = 1e-11 * Math.sqrt(n) * Math.log2(n + 1) + 1e-12;
    expect(maxAbsDiff(got.re, want.map((c) => c.re))).toBeLessThan(tol);
    expect(maxAbsDiff(got.im, want.map((c) => c.im))).toBeLessThan(tol);
  });

  it.each([1, 2, 6, 9, 16, 31, 48, 64])('matches the naive DFT at length %i, both directions and normalisations', (n) => {
    const { re, im } = randomSignal(n, 100 + n);
    for (const inverse of [false, true]) {
      for (const norm of ['backward', 'unitary'] as const) {
        const got = fft(re, im, { inverse, norm });
        const want = naiveDft(re, im, { inverse, norm });
        expect(maxAbsDiff(got.re, want.re)).toBeLessThan(1e-10);
        expect(maxAbsDiff(got.im, want.im)).toBeLessThan(1e-10);
      }
    }
  });

  it('inverts, and the unitary transform preserves the norm (Parseval)', () => {
    for (const n of [10, 64, 243]) {
      const { re, im } = randomSignal(n, 7 * n);
      const back = ifft(fft(re, im).re, fft(re, im).im);
      expect(maxAbsDiff(back.re, re)).toBeLessThan(1e-12);
      expect(maxAbsDiff(back.im, im)).toBeLessThan(1e-12);
      const X = fft(re, im, { norm: 'unitary' });
      const energy = (a: Float64Array, b: Float64Array) => a.reduce((s, v, k) => s + v * v + b[k]! ** 2, 0);
      expect(energy(X.re, X.im)).toBeCloseTo(energy(re, im), 9);
    }
  });

  it('2-D transform matches mathjs on nested arrays and inverts', () => {
    for (const [rows, cols] of [
      [4, 8],
      [5, 6],
      [16, 16],
      [3, 7],
    ] as const) {
      const { re, im } = randomSignal(rows * cols, rows * 31 + cols);
      const nested = Array.from({ length: rows }, (_, r) =>
        Array.from({ length: cols }, (_, c) => complex(re[r * cols + c]!, im[r * cols + c]!)),
      );
      const want = (mathFft(nested) as Complex[][]).flat();
      const got = fft2(re, im, rows, cols);
      expect(maxAbsDiff(got.re, want.map((c) => c.re))).toBeLessThan(1e-10);
      expect(maxAbsDiff(got.im, want.map((c) => c.im))).toBeLessThan(1e-10);
      const back = ifft2(got.re, got.im, rows, cols);
      expect(maxAbsDiff(back.re, re)).toBeLessThan(1e-12);
    }
  });

  it('rejects mismatched lengths and handles the empty signal', () => {
    expect(() => fftInPlace(new Float64Array(4), new Float64Array(3))).toThrow(RangeError);
    expect(fft([]).re.length).toBe(0);
  });

  it('lays frequencies out as numpy fftfreq', () => {
    expect(Array.from(fftFrequencies(4))).toEqual([0, 0.25, -0.5, -0.25]);
    expect(Array.from(fftFrequencies(5))).toEqual([0, 0.2, 0.4, -0.4, -0.2]);
  });
});
