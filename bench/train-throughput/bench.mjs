// bench/train-throughput — training and inference throughput of depthlab's
// transformer model kinds, in tokens per second (batch × seq per step), one core.
//
// Reference model (issue 5, "Benchmark"): vocab 32, context 64, d_model 128,
// 4 heads, 2 layers, MLP 4×, learned positions, untied unembedding, no
// dropout, float32; batch 32 × 64 tokens; Adam (lr 1e-3, clip 1) through
// depthlab's Trainer (forward, backward, global-norm clip, Adam update, the
// loss and norm read back each step).
//   training:  tokens/s = 2,048 × steps / wall time of a window of steps,
//              after warm-up steps; the median over the timed windows.
//   inference: the forward pass alone (logits read back), same batch; median.
// Kinds: causal LM (ar, the headline), masked-diffusion LM (mdlm,
// bidirectional, a fresh masking per step), tagged LM (tagged, 16 labels), on
// each backend that starts (tensorflow when tfjs-node is installed, wasm, cpu
// with fewer steps; webgpu only when asked for with --backends).
// Peer: torch_peer.py, the identical AR model and step in PyTorch on the CPU
// (torch.set_num_threads(1), and 2 threads as an extra field); it must report
// the same parameter count as depthlab's, or the bench fails. The peers run
// as persistent processes and their windows are interleaved with depthlab's
// AR-on-wasm windows (ours, torch 1 thread, torch 2 threads, ours, …), so
// that both see the same load on a shared machine; `ratio` is the ratio of
// the medians, `ratio_range` the range of the per-window ratios.
// Options: --backends tensorflow,wasm,cpu  --kinds ar,mdlm,tagged  --windows N (default 5)
//          --window-steps S (default 3)  --warmup W (default 3)  --no-peer
//          --python PATH (a python with torch; default: /usr/bin/python3, then python3)
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../../dist/models/backend/index.js';
import { CausalLM, MaskedDiffusionLM, TaggedLM } from '../../dist/models/kinds/index.js';
import { Trainer } from '../../dist/models/training/index.js';
import { loadTf } from '../../dist/models/backend/tfRuntime.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const backends = String(opt('--backends', 'tensorflow,wasm,cpu')).split(',');
const kindNames = String(opt('--kinds', 'ar,mdlm,tagged')).split(',');
const windows = Number(opt('--windows', 5));
const windowSteps = Number(opt('--window-steps', 3));
const warmup = Number(opt('--warmup', 3));
const withPeer = !args.includes('--no-peer');
const pythonArg = opt('--python', undefined);

const BATCH = 32;
const SEQ = 64;
const VOCAB = 32;
const LABELS = 16;
const backbone = { vocabSize: VOCAB, contextLength: SEQ, dModel: 128, heads: 4, layers: 2, mlpRatio: 4, positional: 'learned', tieWeights: false, dropout: 0, seed: 1 };
const TOKENS_PER_STEP = BATCH * SEQ;

/** mulberry32: a small seeded stream for the bench's random batches. */
function stream(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rows = (random, hi) => Array.from({ length: BATCH }, () => Array.from({ length: SEQ }, () => Math.floor(random() * hi)));

const KINDS = {
  ar: {
    label: 'causal LM (ar)',
    make: () => new CausalLM(backbone),
    batch: (step) => {
      const tokens = rows(stream(1000 + step), VOCAB);
      return { tokens, targets: tokens.map((r) => r.map((_, j) => (j === 0 ? 0 : 1))) };
    },
    forward: (m, b) => m.logits(b.tokens),
  },
  mdlm: {
    label: 'masked-diffusion LM (mdlm)',
    make: () => new MaskedDiffusionLM({ backbone: { ...backbone, attention: 'bidirectional' }, maskToken: VOCAB - 1 }),
    batch: (step) => {
      const tokens = rows(stream(2000 + step), VOCAB - 1);
      return { tokens, frozen: tokens.map((r) => r.map((_, j) => (j < SEQ / 4 ? 1 : 0))) };
    },
    forward: (m, b) => m.logits(b.tokens),
  },
  tagged: {
    label: `tagged LM (tagged, ${LABELS} labels)`,
    make: () => new TaggedLM({ backbone, labels: LABELS }),
    batch: (step) => {
      const random = stream(3000 + step);
      return { tokens: rows(random, VOCAB), labels: rows(random, LABELS) };
    },
    forward: (m, b) => m.labelLogits(b.tokens),
  },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/**
 * Training and inference tokens/s of one kind on the current backend. After
 * each timed window, `between(kind, steps)` runs (the peers' windows).
 */
async function measure(tf, kind, plan, between = async () => {}) {
  const k = KINDS[kind];
  const model = k.make();
  const params = model.variables().reduce((s, v) => s + v.size, 0);
  const trainer = new Trainer(model, { next: (step) => ({ batch: k.batch(step), tokens: TOKENS_PER_STEP }) }, {
    optimizer: 'adam',
    schedule: { peakLr: 1e-3 },
    clipNorm: 1,
    budget: { steps: 1e9 },
  });
  const step = () => {
    const out = trainer.step();
    if (out.kind !== 'applied') throw new Error(`train-throughput: ${kind} step ${out.kind}`);
    return out.record.loss;
  };
  let loss = Number.NaN;
  for (let i = 0; i < plan.warmup; i++) loss = step();
  await between('warmup', plan.warmup);
  const tensorsAfterWarmup = tf.memory().numTensors;
  const train = [];
  for (let w = 0; w < plan.windows; w++) {
    const t0 = performance.now();
    for (let i = 0; i < plan.windowSteps; i++) loss = step();
    train.push((TOKENS_PER_STEP * plan.windowSteps) / ((performance.now() - t0) / 1000));
    await between('train', plan.windowSteps);
  }
  if (tf.memory().numTensors !== tensorsAfterWarmup) {
    throw new Error(`train-throughput: ${kind} leaks tensors (${tensorsAfterWarmup} → ${tf.memory().numTensors})`);
  }
  const fixed = k.batch(999_999);
  const infer = [];
  tf.tidy(() => k.forward(model, fixed).dataSync()); // warm-up
  await between('infer', 1);
  for (let w = 0; w < plan.windows; w++) {
    const t0 = performance.now();
    for (let i = 0; i < plan.windowSteps; i++) tf.tidy(() => k.forward(model, fixed).dataSync());
    infer.push((TOKENS_PER_STEP * plan.windowSteps) / ((performance.now() - t0) / 1000));
    await between('infer', plan.windowSteps);
  }
  trainer.dispose();
  model.dispose();
  return { params, loss, trainWindows: train, inferWindows: infer, train: median(train), infer: median(infer) };
}

/** A python that imports torch: --python, else /usr/bin/python3, else python3 on PATH. */
function findTorchPython() {
  const candidates = pythonArg ? [pythonArg] : ['/usr/bin/python3', 'python3'];
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { py, version: r.stdout.trim() };
  }
  return null;
}

/** torch_peer.py --serve with `threads` threads: run('train' | 'infer', n) → seconds. */
async function startPeer(py, threads) {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'torch_peer.py');
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const child = spawn(py, [script, '--serve', '--threads', String(threads)], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`torch peer (${threads} thread(s)) exited: ${stderr.trim().split('\n').pop()}`);
    return JSON.parse(value);
  };
  const info = await next();
  return {
    info,
    threads,
    async run(cmd, n) {
      child.stdin.write(`${cmd} ${n}\n`);
      return (await next()).seconds;
    },
    close() {
      child.stdin.end('quit\n');
    },
  };
}

const tf = await loadTf();
const results = {};
let params = null;
console.error(`train-throughput: vocab ${VOCAB}, context ${SEQ}, d_model 128, 4 heads, 2 layers, MLP 4×; batch ${BATCH} × ${SEQ}; Adam; float32`);

let peers = [];
let torchVersion = null;
if (withPeer) {
  const found = findTorchPython();
  if (found === null) {
    console.error('train-throughput: no python with torch found (tried /usr/bin/python3 and python3; pass --python PATH); peer skipped');
  } else {
    torchVersion = found.version;
    try {
      peers = [await startPeer(found.py, 1), await startPeer(found.py, 2)];
    } catch (error) {
      console.error(`train-throughput: torch peer failed to start (${error.message}); peer skipped`);
      peers.forEach((p) => p.close());
      peers = [];
    }
  }
}
const peerWindows = new Map(peers.map((p) => [p.threads, { train: [], infer: [] }]));

/** The peers' windows, run after each of ours (AR on wasm only). */
async function peersBetween(phase, steps) {
  for (const p of peers) {
    const seconds = await p.run(phase === 'infer' ? 'infer' : 'train', steps);
    if (phase !== 'warmup' && !(phase === 'infer' && steps === 1)) {
      peerWindows.get(p.threads)[phase].push((TOKENS_PER_STEP * steps) / seconds);
    }
  }
}

const range = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
for (const name of backends) {
  try {
    await selectBackend(name);
  } catch (error) {
    console.error(`train-throughput: backend ${name} unavailable, skipped (${error.message})`);
    continue;
  }
  // cpu is ~50× slower than wasm: fewer, shorter windows.
  const plan = name === 'cpu' ? { warmup: 1, windows: 2, windowSteps: 1 } : { warmup, windows, windowSteps };
  for (const kind of kindNames) {
    const between = name === 'wasm' && kind === 'ar' && peers.length > 0 ? peersBetween : undefined;
    const r = await measure(tf, kind, plan, between);
    params ??= r.params;
    results[`${kind}_${name}`] = r;
    console.error(
      `${name.padEnd(5)} ${KINDS[kind].label.padEnd(34)} train ${r.train.toFixed(0).padStart(7)} tok/s (${range(r.trainWindows)})  ` +
        `infer ${r.infer.toFixed(0).padStart(7)} tok/s (${range(r.inferWindows)})  params ${r.params}  last loss ${r.loss.toFixed(3)}`,
    );
  }
}
peers.forEach((p) => p.close());

let peer = null;
let peerValue = null;
const extra = {};
for (const p of peers) {
  if (params !== null && p.info.params !== params) {
    console.error(`train-throughput: the torch peer has ${p.info.params} parameters, depthlab ${params}; the comparison is void`);
    process.exit(1);
  }
  const w = peerWindows.get(p.threads);
  if (w.train.length === 0) continue;
  console.error(
    `torch ${p.threads} thread${p.threads > 1 ? 's' : ' '} ${'causal LM (ar), interleaved'.padEnd(32)} train ${median(w.train).toFixed(0).padStart(7)} tok/s (${range(w.train)})  ` +
      `infer ${median(w.infer).toFixed(0).padStart(7)} tok/s (${range(w.infer)})  params ${p.info.params}  torch ${torchVersion}`,
  );
  if (p.threads === 1) {
    peer = 'pytorch-cpu-1thread';
    peerValue = median(w.train);
    extra.peer_infer_tokens_per_s = Number(median(w.infer).toPrecision(4));
  } else {
    extra[`peer_${p.threads}thread_train_tokens_per_s`] = Number(median(w.train).toPrecision(4));
    extra[`peer_${p.threads}thread_infer_tokens_per_s`] = Number(median(w.infer).toPrecision(4));
  }
}

const ar = results.ar_wasm;
const value = ar ? ar.train : null;
let ratioRange = null;
if (ar && peerValue) {
  const one = peerWindows.get(1).train;
  const perWindow = ar.trainWindows.map((v, i) => v / one[i]);
  ratioRange = [Math.min(...perWindow), Math.max(...perWindow)].map((x) => Number(x.toFixed(3)));
  console.error(`ratio (ar on wasm ÷ torch 1 thread, training): ${(value / peerValue).toFixed(3)} (per window ${ratioRange.join('–')})`);
}
for (const [key, r] of Object.entries(results)) {
  extra[`train_${key}`] = Number(r.train.toPrecision(4));
  extra[`infer_${key}`] = Number(r.infer.toPrecision(4));
}
console.log(JSON.stringify({
  bench: 'train-throughput',
  metric: 'train_tokens_per_s',
  value: value === null ? null : Number(value.toPrecision(4)),
  unit: 'tokens/s',
  peer,
  peer_value: peerValue === null ? null : Number(peerValue.toPrecision(4)),
  ratio: peerValue === null || value === null ? null : Number((value / peerValue).toFixed(3)),
  ratio_range: ratioRange,
  params,
  ...extra,
  ...(torchVersion ? { peer_torch: torchVersion } : {}),
}));
