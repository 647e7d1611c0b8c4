"""numpy peer for bench/circuit-eval: the same circuit, bit-sliced over uint64.

Reads the circuit (depthlab's CircuitDescription as JSON) and the input lanes
(little-endian uint32 words, input-major, as written by bench.mjs, which is the
same bit order as uint64 words), evaluates every gate over all words with numpy
bitwise ops, frees each value after its last use, and prints one JSON line:
{"seconds": best wall time, "counts": ones per output, "block_words": ...}.
Usage: numpy_peer.py CIRCUIT.json INPUTS.bin VECTORS REPEATS
"""
import json
import sys
import time

import numpy as np


def compile_circuit(desc):
    names = {name: i for i, name in enumerate(desc["inputs"])}
    prog = []
    for node in desc["nodes"]:
        if node["type"] != "gate":
            raise SystemExit("numpy peer: constants are not used by this benchmark")
        names[node["name"]] = len(names)
        prog.append((node["gate"], [names[r] for r in node["inputs"]], names[node["name"]]))
    last = {}
    for t, (_, args, _) in enumerate(prog):
        for a in args:
            last[a] = t
    outs = [names[o["node"]] for o in desc["outputs"]]
    for o in outs:
        last[o] = len(prog)
    frees = [[a for a in set(args) if last.get(a) == t] for t, (_, args, _) in enumerate(prog)]
    return prog, frees, outs


def run(prog, frees, outs, lanes, n_values):
    v = [None] * n_values
    v[: len(lanes)] = list(lanes)
    for (kind, args, dst), free in zip(prog, frees):
        x = [v[a] for a in args]
        if kind == "AND":
            r = np.bitwise_and(x[0], x[1])
            for y in x[2:]:
                np.bitwise_and(r, y, out=r)
        elif kind == "OR":
            r = np.bitwise_or(x[0], x[1])
            for y in x[2:]:
                np.bitwise_or(r, y, out=r)
        elif kind == "NOT":
            r = np.invert(x[0])
        elif kind == "MAJ" and len(x) == 3:
            a, b, c = x
            r = np.bitwise_or(a, b)
            np.bitwise_and(r, c, out=r)
            np.bitwise_or(r, np.bitwise_and(a, b), out=r)
        else:
            raise SystemExit(f"numpy peer: gate {kind}/{len(x)} is not part of this benchmark")
        v[dst] = r
        for a in free:
            if a != dst:
                v[a] = None
    return [int(np.bitwise_count(v[o]).sum()) for o in outs]


def main():
    circuit_path, inputs_path, vectors, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    desc = json.load(open(circuit_path))
    n_in = len(desc["inputs"])
    words64 = vectors // 64
    raw = np.fromfile(inputs_path, dtype="<u8").reshape(n_in, -1)[:, :words64]
    prog, frees, outs = compile_circuit(desc)
    n_values = n_in + len(prog)
    best = None
    for block in (words64, 2048):
        counts_total = None
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            counts_total = [0] * len(outs)
            for s in range(0, words64, block):
                lanes = [np.ascontiguousarray(raw[i, s : s + block]) for i in range(n_in)]
                for k, c in enumerate(run(prog, frees, outs, lanes, n_values)):
                    counts_total[k] += c
            times.append(time.perf_counter() - t0)
        t = min(times)
        if best is None or t < best[0]:
            best = (t, counts_total, block)
    print(json.dumps({"seconds": best[0], "counts": best[1], "block_words": best[2], "numpy": np.__version__}))


if __name__ == "__main__":
    main()
