"""numpy peer for bench/sde-sampler: Euler-Maruyama on the reverse VP SDE
(Song et al. 2021, eq. 6) for a Gaussian mixture with its exact score,

    x <- (1 - f dt) x + g^2 dt * grad log p_t(x) + g sqrt(dt) z,
    grad log p_t(x) = sum_k w_k(x) S_k^{-1} (a mu_k - x),  S_k = a^2 Sigma_k + s^2 I,

vectorised over particles. Per step: one Cholesky inverse L_k^{-1} per
component (S_k^{-1} = L_k^{-T} L_k^{-1}), U = X @ [L_1^{-T} ... L_K^{-T}]
(one matmul for all components), log-weights from ||u_k||^2 by log-sum-exp,
and the score as -(w * U) @ [L_1^{-1}; ...; L_K^{-1}] (a second matmul).
Reads the mixture as JSON {weights, means, covariances}; prints one JSON
line {"seconds": best wall time, "mean": [...], "variance": [...], "numpy": version}.
Usage: numpy_peer.py MIXTURE.json PARTICLES STEPS REPEATS
"""
import json
import sys
import time

import numpy as np


def beta(t):
    return 0.1 + 19.9 * t


def big_b(t):
    return 0.1 * t + 9.95 * t * t


def run(mix, n, steps, seed):
    w = np.asarray(mix["weights"], dtype=np.float64)
    mu = np.asarray(mix["means"], dtype=np.float64)  # K x d
    cov = np.asarray(mix["covariances"], dtype=np.float64)  # K x d x d
    K, d = mu.shape
    eye = np.eye(d)
    logw = np.log(w)
    rng = np.random.default_rng(seed)
    T, t_min = 1.0, 1e-3
    grid = t_min + (T - t_min) * (1.0 - np.arange(steps + 1) / steps)
    x = rng.standard_normal((n, d)) * np.sqrt(-np.expm1(-big_b(T)))
    for k in range(steps):
        t = grid[k]
        dt = t - grid[k + 1]
        a = np.exp(-0.5 * big_b(t))
        s2 = -np.expm1(-big_b(t))
        S = a * a * cov + s2 * eye
        L = np.linalg.cholesky(S)  # K x d x d
        Linv = np.linalg.inv(L)  # lower triangular
        logdet = 2.0 * np.log(np.diagonal(L, axis1=1, axis2=2)).sum(axis=1)
        Wt = np.transpose(Linv, (0, 2, 1)).transpose(1, 0, 2).reshape(d, K * d)  # [L_1^{-T} ... L_K^{-T}]
        shift = np.einsum("kij,kj->ki", Linv, a * mu).reshape(1, K * d)
        U = x @ Wt
        U -= shift  # u_k = L_k^{-1}(x - a mu_k)
        U3 = U.reshape(n, K, d)
        logits = logw - 0.5 * logdet - 0.5 * np.einsum("nkd,nkd->nk", U3, U3)
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        U3 *= p[:, :, None]
        score = -(U @ Linv.reshape(K * d, d))
        f = -0.5 * beta(t)
        g2 = beta(t)
        x = (1.0 - f * dt) * x + (g2 * dt) * score + np.sqrt(g2 * dt) * rng.standard_normal((n, d))
    return x


def main():
    path, n, steps, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    mix = json.load(open(path))
    run(mix, min(n, 512), min(steps, 20), 99)  # warm-up
    best = None
    x = None
    for r in range(repeats):
        t0 = time.perf_counter()
        x = run(mix, n, steps, 1 + r)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    print(json.dumps({
        "seconds": best,
        "mean": x.mean(axis=0).tolist(),
        "variance": x.var(axis=0, ddof=1).tolist(),
        "numpy": np.__version__,
    }))


if __name__ == "__main__":
    main()
