/**
 * The LSTM control backbone: token ids → logits through L stacked LSTM
 * layers, the recurrent baseline trained and evaluated by the same causal-LM
 * path as the transformer (it implements Backbone).
 *
 * With B = batch, t = sequence length (≤ contextLength), E = embeddingSize,
 * H = hidden, V = vocabSize, σ the logistic sigmoid, ⊙ the elementwise product:
 *
 *   x_s = Emb[token_s]                                              [B, E]
 *   each layer ℓ, with input u_s (x_s for ℓ = 0, the layer below's h_s after),
 *   h_{−1} = c_{−1} = 0:
 *     z_s = u_s·W_ℓ + h_{s−1}·R_ℓ + b_ℓ = [z_i | z_f | z_g | z_o]   [B, 4H]
 *     i = σ(z_i),  f = σ(z_f),  g = tanh(z_g),  o = σ(z_o)         [B, H] each
 *     c_s = f ⊙ c_{s−1} + i ⊙ g
 *     h_s = o ⊙ tanh(c_s)
 *   logits_s = h_s·U,  U = Embᵀ when weights are tied                [B, V]
 *
 * No final LayerNorm: h = o ⊙ tanh(c) already lies in (−1, 1), so the
 * logits' scale is set by U alone, and the count stays a plain table. No
 * output bias, like the transformer's unembedding.
 *
 * Initialisation (JavaScript-side seeded normals, so a seed gives the same
 * model on every backend): W ~ N(0, 1/fan-in), R ~ N(0, 1/H), U ~ N(0, 1/H),
 * b = 0 except the forget gate's, which is forgetBias. Emb ~ N(0, 1), so
 * layer 0's pre-activations start near unit variance; with tied weights Emb
 * also unembeds, and N(0, 1/√H) keeps both the pre-activations (std H^−¼)
 * and the initial logits (std ≈ |h|·H^¼) of order 1.
 *
 * Speed on wasm (issue 5, "Backends"), where every kernel call has a fixed
 * cost that dominates at these sizes:
 *   - u·W for all t steps is one [t·B, in]×[in, 4H] matMulT; only h·R runs
 *     inside the loop over s. The network is time-major ([t, B, ·]).
 *   - tanh is ≈ 20× slower than σ, so tanh(x) = 2σ(2x) − 1 (exact), and the
 *     four gates take one σ: the projected inputs u·W + b and R are scaled
 *     by k (2 on the g block, 1 elsewhere) once per layer and pass, so
 *     z' = z ⊙ k, and g = 2σ(z'_g) − 1.
 *   - A layer's recurrence is one op with a hand-written backward pass
 *     (recurrence(), below): 3–4× faster than autodiff through the steps.
 *   - Steps and gate blocks are split on the JavaScript side: wasm's Slice
 *     (so unstack and split) copies its whole input out of the heap per call.
 *   - Each product's right operand is used under one shape only (XNNPACK
 *     pitfall d); the tied Embᵀ is a fresh transpose.
 * Dropout (config.dropout > 0, training only) is non-recurrent, as in
 * Zaremba et al. 2014: on the embeddings and on each layer's output, never on
 * the recurrent h→h path; masks come from the model's seeded stream.
 */
import type * as TF from '@tensorflow/tfjs';
import { freshRight, matMulT, tfNow } from '../backend/index.js';
import type { Backbone, ForwardOptions, TokenBatch } from './Backbone.js';
import { lstmConfig, lstmParameterCount } from './LstmConfig.js';
import type { LstmConfig, LstmConfigInput } from './LstmConfig.js';
import { SeededRandom } from './seededRandom.js';
import { tokenIds } from './_internals/tokenIds.js';
import { dropout } from './_internals/dropout.js';
import { VariableRegistry } from './_internals/VariableRegistry.js';

type Tensor = TF.Tensor;
type Variable = TF.Variable;

interface Layer {
  wInput: Variable; // [in, 4H], in = E for layer 0, H above
  wRecurrent: Variable; // [H, 4H]
  bias: Variable; // [4H]
}

/** A stacked LSTM that owns its tf.Variables; call dispose() when done. */
export class Lstm implements Backbone {
  readonly config: LstmConfig;
  private readonly registry = new VariableRegistry();
  private readonly tokenEmbedding: Variable; // [V, E]
  private readonly layers: Layer[] = [];
  private readonly unembedding: Variable | undefined; // [H, V]
  private readonly gateScale: Tensor; // [4H]: 2 on the g block, 1 elsewhere
  private readonly dropoutRandom: SeededRandom;
  private disposed = false;

  constructor(input: LstmConfigInput) {
    const tf = tfNow();
    const c = lstmConfig(input);
    this.config = c;
    const h = c.hidden;
    const init = new SeededRandom(c.seed, 0);
    this.dropoutRandom = new SeededRandom(c.seed, 1);
    const normal = (name: string, shape: [number, number], std: number): Variable =>
      this.registry.add(name, tf.tensor2d(init.normals(shape[0] * shape[1], std), shape));

    this.tokenEmbedding = normal('tokenEmbedding', [c.vocabSize, c.embeddingSize], c.tieWeights ? h ** -0.25 : 1);
    for (let l = 0; l < c.layers; l++) {
      const fanIn = l === 0 ? c.embeddingSize : h;
      const bias = new Float32Array(4 * h);
      bias.fill(c.forgetBias, h, 2 * h); // gate order i, f, g, o
      this.layers.push({
        wInput: normal(`lstm${l}.wInput`, [fanIn, 4 * h], 1 / Math.sqrt(fanIn)),
        wRecurrent: normal(`lstm${l}.wRecurrent`, [h, 4 * h], 1 / Math.sqrt(h)),
        bias: this.registry.add(`lstm${l}.bias`, tf.tensor1d(bias)),
      });
    }
    this.unembedding = c.tieWeights ? undefined : normal('unembedding', [h, c.vocabSize], 1 / Math.sqrt(h));
    const scale = new Float32Array(4 * h).fill(1);
    scale.fill(2, 2 * h, 3 * h);
    this.gateScale = tf.tensor1d(scale);
  }

  /** The trainable variables, in a fixed order. */
  variables(): Variable[] {
    return this.registry.variables();
  }

  /** The trainable variables with stable names (for checkpoints), in the order of variables(). */
  namedVariables(): [string, Variable][] {
    return this.registry.namedVariables();
  }

  /** The number of trainable parameters (equals lstmParameterCount(config)). */
  get parameterCount(): number {
    return lstmParameterCount(this.config);
  }

  /** Logits [batch, seq, vocab] for token ids [batch, seq]. The caller owns the result. Dropout only with `training`. */
  forward(tokens: TokenBatch, options: ForwardOptions = {}): Tensor {
    if (this.disposed) throw new Error('Lstm.forward: the model has been disposed');
    const tf = tfNow();
    const rate = options.training === true ? this.config.dropout : 0;
    const drop = (x: Tensor): Tensor => (rate > 0 ? dropout(x, rate, this.dropoutRandom) : x);
    return tf.tidy(() => {
      const ids = this.tokenTensor(tokens); // [B, t] int32
      let u: Tensor = drop(tf.gather(this.tokenEmbedding, tf.transpose(ids))); // [t, B, E], time-major
      for (const layer of this.layers) {
        // All steps' input projections in one product, scaled by k with the bias.
        const projected = tf.mul(tf.add(matMulT(u, layer.wInput), layer.bias), this.gateScale); // [t, B, 4H]
        u = drop(recurrence(projected, tf.mul(layer.wRecurrent, this.gateScale))); // [t, B, H]
      }
      const top = tf.transpose(u, [1, 0, 2]); // [B, t, H]
      const unembedding = this.unembedding ?? tf.transpose(this.tokenEmbedding); // [H, V]
      return matMulT(top, unembedding); // [B, t, V]
    });
  }

  /** Frees the variables and constants; the model cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.registry.dispose();
    this.gateScale.dispose();
  }

  /** Validated int32 ids [B, t]. */
  private tokenTensor(tokens: TokenBatch): Tensor {
    return tokenIds(tokens, this.config, 'Lstm.forward');
  }
}

let recurrenceOp: ((p: Tensor, r: Tensor) => Tensor) | undefined;

/**
 * One layer's recurrence over all steps as a single differentiable op, on
 * pre-activations already scaled by k: p = (u·W + b) ⊙ k [t, B, 4H] and
 * r = R ⊙ k [H, 4H], so z'_s = p_s + h_{s−1}·r and the four gates are σ(z'_s).
 * Returns h [t, B, H]. Its backward pass is hand-written BPTT: autodiff
 * through the step ops costs several kernels (mul, cast, reshape, identity)
 * per forward op, and on wasm every kernel has a fixed cost that dominates at
 * these sizes. With τ = tanh(c), σ' = σ(1 − σ) per gate, and the incoming
 * gradient dy_s of h_s, from s = t−1 down to 0:
 *   dh_s = dy_s + dz'_{s+1}·rᵀ                dc_s = dh_s ⊙ o ⊙ (1 − τ²) + dc_{s+1} ⊙ f_{s+1}
 *   dz'_s = [dc_s ⊙ g ⊙ σ'_i | dc_s ⊙ c_{s−1} ⊙ σ'_f | dc_s ⊙ i ⊙ 2σ'_g | dh_s ⊙ τ ⊙ σ'_o]
 *   dp_s = dz'_s,   dr = Σ_s h_{s−1}ᵀ·dz'_s (one [H, t·B]·[t·B, 4H] product).
 * Everything not on the recurrent path (the factors after dc_s and dh_s) is
 * computed for all steps at once before the loop.
 */
function recurrence(p: Tensor, r: Tensor): Tensor {
  const tf = tfNow();
  recurrenceOp ??= tf.customGrad((...args: (Tensor | TF.GradSaveFunc)[]) => {
    const [pIn, rIn, save] = args as [Tensor, Tensor, TF.GradSaveFunc];
    const [seq = 0, batch = 0, four = 0] = pIn.shape;
    const h = four / 4;
    const steps = unstackHost(pIn); // t × [B, 4H]
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    const gates: Tensor[] = [];
    for (let s = 0; s < seq; s++) {
      const hPrev = hs[s - 1];
      const cPrev = cs[s - 1];
      const zIn = steps[s]!; // [B, 4H]
      const z = hPrev ? tf.add(zIn, tf.matMul(hPrev, rIn)) : zIn; // [B, 4H]; h_{−1} = 0
      const sg = tf.sigmoid(z); // [B, 4H]
      const [i, f, a, o] = splitGatesHost(sg); // [B, H] each
      const ig = tf.mul(i, tanhFromSigmoid(a)); // g = 2σ(2z_g) − 1
      const c = cPrev ? tf.add(tf.mul(f, cPrev), ig) : ig; // [B, H]; c_{−1} = 0
      hs.push(tf.mul(o, tanhFromSigmoid(tf.sigmoid(tf.mul(c, 2))))); // [B, H]
      cs.push(c);
      gates.push(sg);
    }
    const hAll = tf.stack(hs); // [t, B, H]
    save([hAll, tf.stack(cs), tf.stack(gates), rIn]);
    return {
      value: hAll,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [hSaved, cAll, sAll, rSaved] = saved as [Tensor, Tensor, Tensor, Tensor]; // [t, B, H], [t, B, H], [t, B, 4H], [H, 4H]
        const [i, f, a, o] = splitGatesHost(sAll); // [t, B, H] each
        const [si, sf, sa, so] = splitGatesHost(tf.mul(sAll, tf.sub(1, sAll))); // σ' = σ(1 − σ)
        const tau = tanhFromSigmoid(tf.sigmoid(tf.mul(cAll, 2))); // [t, B, H]
        const factors = tf.concat(
          [tf.mul(tanhFromSigmoid(a), si), tf.mul(shiftDown(cAll), sf), tf.mul(tf.mul(i, 2), sa), tf.mul(tau, so)],
          2,
        ); // [t, B, 4H]
        const dcFromH = unstackHost(tf.mul(o, tf.sub(1, tf.square(tau)))); // t × [B, H]
        const [factorSteps, forget, dySteps] = [unstackHost(factors), unstackHost(f), unstackHost(dy)];
        const rT = tf.transpose(rSaved); // [4H, H], one tensor for every step (pitfall d)
        const dzs: Tensor[] = new Array<Tensor>(seq);
        let dzNext: Tensor | undefined; // [B, 4H]
        let dcNext: Tensor | undefined; // dc_{s+1} ⊙ f_{s+1}, [B, H]
        for (let s = seq - 1; s >= 0; s--) {
          const dh = dzNext ? tf.add(dySteps[s]!, tf.matMul(dzNext, rT)) : dySteps[s]!; // [B, H]
          const dcHere = tf.mul(dh, dcFromH[s]!);
          const dc = dcNext ? tf.add(dcHere, dcNext) : dcHere; // [B, H]
          dzNext = tf.mul(tf.concat([dc, dc, dc, dh], 1), factorSteps[s]!); // [B, 4H]
          dzs[s] = dzNext;
          dcNext = tf.mul(dc, forget[s]!);
        }
        const dp = tf.stack(dzs); // [t, B, 4H]
        const hPrev = tf.reshape(shiftDown(hSaved), [seq * batch, h]); // [t·B, H]
        const dr = tf.matMul(tf.transpose(hPrev), freshRight(tf.reshape(dp, [seq * batch, four]))); // [H, 4H]
        return [dp, dr];
      },
    };
  });
  return recurrenceOp(p, r);
}

/**
 * The steps x[0], …, x[t−1] of x [t, …], split on the JavaScript side: one
 * read of x and t writes. On wasm, Slice (so unstack and split) copies the
 * whole source out of the heap on every call, O(t²) for t steps, and Gather
 * runs ≈ 60 ns per element; this is O(t) memcpy (measured 2.5 ms against
 * 80 ms for gathers and 250 ms for unstack, t = 64 of [32, 632]).
 */
function unstackHost(x: Tensor): Tensor[] {
  const tf = tfNow();
  const [seq = 0, ...rest] = x.shape;
  const size = rest.reduce((p, d) => p * d, 1);
  const data = x.dataSync() as Float32Array;
  return Array.from({ length: seq }, (_, s) => tf.tensor(data.subarray(s * size, (s + 1) * size), rest));
}

/** The gate blocks [i, f, g, o] of x [..., 4H] as four [..., H] tensors, split on the JavaScript side (see unstackHost). */
function splitGatesHost(x: Tensor): [Tensor, Tensor, Tensor, Tensor] {
  const tf = tfNow();
  const four = x.shape[x.rank - 1] ?? 0;
  const h = four / 4;
  const rows = x.size / four;
  const data = x.dataSync() as Float32Array;
  const shape = [...x.shape.slice(0, -1), h];
  const gates = [0, 1, 2, 3].map((k) => {
    const out = new Float32Array(rows * h);
    for (let row = 0; row < rows; row++) out.set(data.subarray(row * four + k * h, row * four + (k + 1) * h), row * h);
    return tf.tensor(out, shape);
  });
  return gates as [Tensor, Tensor, Tensor, Tensor];
}

/** tanh(x) from σ(2x): 2σ(2x) − 1. */
function tanhFromSigmoid(sigmoidOfTwice: Tensor): Tensor {
  const tf = tfNow();
  return tf.sub(tf.mul(sigmoidOfTwice, 2), 1);
}

/** x [t, B, n] moved one step later along time, zeros at step 0: x_{s−1}. */
function shiftDown(x: Tensor): Tensor {
  const tf = tfNow();
  const [seq = 0, ...rest] = x.shape;
  const zeros = tf.zeros([1, ...rest]);
  return seq === 1 ? zeros : tf.concat([zeros, tf.slice(x, 0, seq - 1)], 0);
}
