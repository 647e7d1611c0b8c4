/**
 * The shared transformer backbone: token ids → logits, pre-LayerNorm blocks.
 *
 * With B = batch, t = sequence length (≤ contextLength), d = dModel,
 * H = heads, h = d/H (head size), f = mlpRatio·d, V = vocabSize:
 *
 *   x₀ = E[tokens] (+ P[0..t) for learned positions)              [B, t, d]
 *   R times (loops; x ← x + x₀ before passes after the first with inputInjection), for each layer:
 *     a  = LN₁(x);  q = aW_q + b_q,  k = aW_k + b_k,  v = aW_v + b_v   (split into H heads of size h)
 *     q, k ← RoPE(q), RoPE(k)                                      (positional 'rope')
 *     Attn = softmax(QKᵀ/√h + M)·V                                 per head, M the additive mask
 *     x = x + Drop(concat_heads(Attn)·W_o + b_o)
 *     x = x + Drop(GELU(LN₂(x)·W₁ + b₁)·W₂ + b₂)
 *   logits = LN_f(x)·U,  U = Eᵀ when weights are tied             [B, t, V]
 *
 *   LayerNorm:  LN(x) = γ ⊙ (x − μ)/√(σ² + ε) + β, μ and σ² over the last axis, ε = 1e-5.
 *   Mask:       M[i, j] = 0 where query i may see key j, −1e9 where not (causal: j > i;
 *               bidirectional: M = 0 everywhere).
 *   RoPE:       for the pair (x_j, x_{j+h/2}) of a head vector at position p, with
 *               θ_j = 10000^(−2j/h), j < h/2:
 *                 x_j       ← x_j·cos(pθ_j) − x_{j+h/2}·sin(pθ_j)
 *                 x_{j+h/2} ← x_j·sin(pθ_j) + x_{j+h/2}·cos(pθ_j)
 *               i.e. RoPE(x) = x ⊙ cos + (x·R) ⊙ sin with R the fixed [h, h] matrix of
 *               rotate_half, (x·R)_j = −x_{j+h/2}, (x·R)_{j+h/2} = x_j.
 *   GELU:       the tanh form, computed as x·sigmoid(2√(2/π)(x + 0.044715x³)) (geluSigmoid).
 *   Dropout:    only when training; masks drawn on the JavaScript side from the
 *               model's seeded stream, scaled by 1/(1 − rate). Drop (rate
 *               `dropout`, stream 1) acts on x₀, both residual branches and the
 *               attention probabilities; DropAttn (rate `attentionDropout`,
 *               stream 5) on the probabilities only:
 *                 Attn = DropAttn(Drop(softmax(QKᵀ/√h + M)))·V
 *               so either rate at 0 leaves the other's masks as they were.
 *
 * Speed on wasm (issue 5, "Backends" and "Benchmark"): the hot path runs on
 * the fused ops of backend/fusedOps.ts — linear (XNNPACK's plain 2-D product
 * with the bias fused; SIMD transposes and column sums in its gradient),
 * layerNorm and gelu (one WebAssembly SIMD pass each way), the embedding
 * lookup (a row copy; its gradient the UnsortedSegmentSum kernel registered
 * for wasm) and, without RoPE and without dropout on the probabilities
 * (neither `dropout` nor `attentionDropout` while training),
 * attention as one product for Q | K | V ([d, 3d], the three weights
 * concatenated) followed by one kernel per pass over all heads (scores,
 * softmax, P·V; no split/merge transposes). With RoPE, or dropout on the
 * probabilities while training, attention keeps the per-head path:
 * batchedMatMul (plain 2-D products per head). Off wasm every fused op is
 * the same maths in plain tfjs ops.
 * Initial weights come from the JavaScript-side seeded normal stream, so a
 * seed gives the same model on every backend.
 */
import type * as TF from '@tensorflow/tfjs';
import { matMulT, tfNow } from '../backend/index.js';
import { attention, embedding, gelu, layerNorm, linear } from '../backend/fusedOps.js';
import { batchedMatMul } from './batchedMatMul.js';
import { SeededRandom } from './seededRandom.js';
import { parameterCount, transformerConfig } from './TransformerConfig.js';
import type { TransformerConfig, TransformerConfigInput } from './TransformerConfig.js';
import type { Backbone, ForwardOptions, TokenBatch } from './Backbone.js';
import { tokenIds } from './_internals/tokenIds.js';
import { dropout } from './_internals/dropout.js';
import { ropeTables } from './_internals/ropeTables.js';
import { VariableRegistry } from './_internals/VariableRegistry.js';

type Tensor = TF.Tensor;
type Variable = TF.Variable;

/** The additive value of a masked score. */
export const MASKED_SCORE = -1e9;
/** LayerNorm's ε. */
const LN_EPSILON = 1e-5;
/**
 * The SeededRandom stream of attentionDropout's masks (init is 0, dropout 1;
 * the model kinds use 2, 3 and 7 for masking, sampling and orders).
 */
const ATTENTION_DROPOUT_STREAM = 5;
/** Standard deviation of the initial weights (GPT-2); output projections use INIT_STD/√(2·layers). */
const INIT_STD = 0.02;

export type { ForwardOptions, TokenBatch } from './Backbone.js';

interface Block {
  ln1Gamma: Variable; // [d]
  ln1Beta: Variable; // [d]
  wq: Variable; // [d, d]
  bq: Variable; // [d]
  wk: Variable; // [d, d]
  bk: Variable; // [d]
  wv: Variable; // [d, d]
  bv: Variable; // [d]
  wo: Variable; // [d, d]
  bo: Variable; // [d]
  ln2Gamma: Variable; // [d]
  ln2Beta: Variable; // [d]
  wUp: Variable; // [d, f]
  bUp: Variable; // [f]
  wDown: Variable; // [f, d]
  bDown: Variable; // [d]
}

/** A transformer that owns its tf.Variables; call dispose() when done. */
export class Transformer implements Backbone {
  readonly config: TransformerConfig;
  private readonly registry = new VariableRegistry();
  private readonly tokenEmbedding: Variable; // [V, d]
  private readonly positionEmbedding: Variable | undefined; // [T, d]
  private readonly nextPositionEmbedding: Variable | undefined; // [T, d], orderEmbedding only
  private readonly blocks: Block[] = [];
  private readonly lnFGamma: Variable; // [d]
  private readonly lnFBeta: Variable; // [d]
  private readonly unembedding: Variable | undefined; // [d, V]
  private readonly rope: { cos: Tensor; sin: Tensor; rotateHalf: Tensor } | undefined; // [T, h], [T, h], [h, h]
  private readonly dropoutRandom: SeededRandom;
  private readonly attentionDropoutRandom: SeededRandom;
  private disposed = false;

  constructor(input: TransformerConfigInput) {
    const tf = tfNow();
    const c = transformerConfig(input);
    this.config = c;
    const d = c.dModel;
    const f = c.mlpRatio * d;
    const init = new SeededRandom(c.seed, 0);
    this.dropoutRandom = new SeededRandom(c.seed, 1);
    this.attentionDropoutRandom = new SeededRandom(c.seed, ATTENTION_DROPOUT_STREAM);
    // GPT-2's residual scaling counts the blocks a forward pass goes through (L·R).
    const outStd = INIT_STD / Math.sqrt(2 * c.layers * c.loops);

    const normal = (name: string, shape: number[], std: number): Variable =>
      this.registry.add(name, tf.tensor(init.normals(shape.reduce((p, s) => p * s, 1), std), shape));
    const filled = (name: string, size: number, value: number): Variable =>
      this.registry.add(name, tf.tensor1d(new Float32Array(size).fill(value)));

    this.tokenEmbedding = normal('tokenEmbedding', [c.vocabSize, d], INIT_STD);
    this.positionEmbedding =
      c.positional === 'learned' ? normal('positionEmbedding', [c.contextLength, d], INIT_STD) : undefined;
    this.nextPositionEmbedding = c.orderEmbedding ? normal('nextPositionEmbedding', [c.contextLength, d], INIT_STD) : undefined;
    for (let l = 0; l < c.layers; l++) {
      const p = `block${l}.`;
      this.blocks.push({
        ln1Gamma: filled(`${p}ln1.gamma`, d, 1),
        ln1Beta: filled(`${p}ln1.beta`, d, 0),
        wq: normal(`${p}attn.wq`, [d, d], INIT_STD),
        bq: filled(`${p}attn.bq`, d, 0),
        wk: normal(`${p}attn.wk`, [d, d], INIT_STD),
        bk: filled(`${p}attn.bk`, d, 0),
        wv: normal(`${p}attn.wv`, [d, d], INIT_STD),
        bv: filled(`${p}attn.bv`, d, 0),
        wo: normal(`${p}attn.wo`, [d, d], outStd),
        bo: filled(`${p}attn.bo`, d, 0),
        ln2Gamma: filled(`${p}ln2.gamma`, d, 1),
        ln2Beta: filled(`${p}ln2.beta`, d, 0),
        wUp: normal(`${p}mlp.wUp`, [d, f], INIT_STD),
        bUp: filled(`${p}mlp.bUp`, f, 0),
        wDown: normal(`${p}mlp.wDown`, [f, d], outStd),
        bDown: filled(`${p}mlp.bDown`, d, 0),
      });
    }
    this.lnFGamma = filled('lnF.gamma', d, 1);
    this.lnFBeta = filled('lnF.beta', d, 0);
    this.unembedding = c.tieWeights ? undefined : normal('unembedding', [d, c.vocabSize], INIT_STD);
    this.rope = c.positional === 'rope' ? ropeTables(tf, c.contextLength, d / c.heads) : undefined;
  }

  /** The trainable variables, in a fixed order. */
  variables(): Variable[] {
    return this.registry.variables();
  }

  /** The trainable variables with stable names (for checkpoints), in the order of variables(). */
  namedVariables(): [string, Variable][] {
    return this.registry.namedVariables();
  }

  /** The number of trainable parameters (equals parameterCount(config)). */
  get parameterCount(): number {
    return parameterCount(this.config);
  }

  /**
   * The additive attention mask for `seq` positions, [seq, seq]: 0 where a
   * query may attend, MASKED_SCORE where not (causal: keys after the query;
   * bidirectional: none). The caller owns the tensor.
   */
  attentionMask(seq: number): Tensor {
    const tf = tfNow();
    const m = new Float32Array(seq * seq);
    if (this.config.attention === 'causal') {
      for (let i = 0; i < seq; i++) for (let j = i + 1; j < seq; j++) m[i * seq + j] = MASKED_SCORE;
    }
    return tf.tensor2d(m, [seq, seq]);
  }

  /** Logits [batch, seq, vocab] for token ids [batch, seq]. The caller owns the result. */
  forward(tokens: TokenBatch, options: ForwardOptions = {}): Tensor {
    if (this.disposed) throw new Error('Transformer.forward: the model has been disposed');
    const tf = tfNow();
    const training = options.training === true && this.config.dropout > 0;
    const attentionTraining = options.training === true && this.config.attentionDropout > 0;
    return tf.tidy(() => {
      const ids = this.tokenTensor(tokens); // [B, t] int32
      const [batch = 0, seq = 0] = ids.shape;
      const c = this.config;
      const d = c.dModel;
      const heads = c.heads;
      const headDim = d / heads;
      const drop = (x: Tensor): Tensor => (training ? this.dropout(x) : x);
      const dropAttention = (p: Tensor): Tensor =>
        attentionTraining ? dropout(p, c.attentionDropout, this.attentionDropoutRandom) : p;
      // The fused attention kernel covers attention without RoPE and without dropout on the probabilities.
      const fusedAttention = !this.rope && !training && !attentionTraining;

      let x: Tensor = embedding(this.tokenEmbedding, ids); // [B, t, d]
      if (this.positionEmbedding && options.positions) {
        x = tf.add(x, embedding(this.positionEmbedding, this.positionTensor(options.positions, batch, seq, 'positions'))); // [B, t, d]
      } else if (this.positionEmbedding) {
        const pos =
          seq === c.contextLength ? this.positionEmbedding : tf.slice(this.positionEmbedding, [0, 0], [seq, d]); // [t, d]
        x = tf.add(x, pos); // [B, t, d]
      } else if (options.positions) {
        throw new Error("Transformer.forward: explicit positions need positional 'learned'");
      }
      if (this.nextPositionEmbedding) {
        if (!options.nextPositions) throw new Error('Transformer.forward: a model with an order embedding needs nextPositions');
        x = tf.add(x, embedding(this.nextPositionEmbedding, this.positionTensor(options.nextPositions, batch, seq, 'nextPositions'))); // [B, t, d]
      }
      x = drop(x);
      const x0 = x; // [B, t, d], re-injected between loops
      const mask = this.attentionMask(seq); // [t, t]
      const rope = this.rope && {
        cos: tf.slice(this.rope.cos, [0, 0], [seq, headDim]), // [t, h]
        sin: tf.slice(this.rope.sin, [0, 0], [seq, headDim]), // [t, h]
        rotateHalf: this.rope.rotateHalf, // [h, h]
      };

      /** [B, t, d] → [B·H, t, h] */
      const splitHeads = (y: Tensor): Tensor =>
        tf.reshape(tf.transpose(tf.reshape(y, [batch, seq, heads, headDim]), [0, 2, 1, 3]), [batch * heads, seq, headDim]);
      /** [B·H, t, h] → [B, t, d] */
      const mergeHeads = (y: Tensor): Tensor =>
        tf.reshape(tf.transpose(tf.reshape(y, [batch, heads, seq, headDim]), [0, 2, 1, 3]), [batch, seq, d]);
      /** RoPE(y) = y ⊙ cos + (y·R) ⊙ sin, y: [B·H, t, h] */
      const rotate = (y: Tensor): Tensor =>
        rope ? tf.add(tf.mul(y, rope.cos), tf.mul(matMulT(y, rope.rotateHalf), rope.sin)) : y;

      for (let pass = 0; pass < c.loops; pass++) {
        if (pass > 0 && c.inputInjection) x = tf.add(x, x0);
        x = this.blocks.reduce((y, b) => block(y, b), x);
      }
      const final = layerNorm(x, this.lnFGamma, this.lnFBeta, LN_EPSILON); // [B, t, d]
      const unembedding = this.unembedding ?? tf.transpose(this.tokenEmbedding); // [d, V]
      return linear(final, unembedding); // [B, t, V]

      function block(x: Tensor, b: Block): Tensor {
        const a = layerNorm(x, b.ln1Gamma, b.ln1Beta, LN_EPSILON); // [B, t, d]
        let attended: Tensor; // [B, t, d], heads merged
        if (fusedAttention) {
          // One product for Q | K | V, then the fused per-head attention kernel.
          const wqkv = tf.concat([b.wq, b.wk, b.wv], 1); // [d, 3d]
          const bqkv = tf.concat([b.bq, b.bk, b.bv], 0); // [3d]
          attended = attention(linear(a, wqkv, bqkv), mask, heads); // [B, t, 3d] → [B, t, d]
        } else {
          const q = tf.mul(rotate(splitHeads(linear(a, b.wq, b.bq))), 1 / Math.sqrt(headDim)); // [B·H, t, h]
          const k = rotate(splitHeads(linear(a, b.wk, b.bk))); // [B·H, t, h]
          const v = splitHeads(linear(a, b.wv, b.bv)); // [B·H, t, h]
          const scores = tf.add(batchedMatMul(q, tf.transpose(k, [0, 2, 1])), mask); // [B·H, t, t] = QKᵀ/√h + M
          const probs = dropAttention(drop(tf.softmax(scores))); // [B·H, t, t], rows sum to 1 before dropout
          attended = mergeHeads(batchedMatMul(probs, v)); // [B·H, t, h] → [B, t, d]
        }
        x = tf.add(x, drop(linear(attended, b.wo, b.bo))); // [B, t, d]

        const m = layerNorm(x, b.ln2Gamma, b.ln2Beta, LN_EPSILON); // [B, t, d]
        const up = gelu(linear(m, b.wUp, b.bUp)); // [B, t, f]
        return tf.add(x, drop(linear(up, b.wDown, b.bDown))); // [B, t, d]
      }
    });
  }

  /** Frees the variables and constants; the model cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.registry.dispose();
    if (this.rope) {
      this.rope.cos.dispose();
      this.rope.sin.dispose();
      this.rope.rotateHalf.dispose();
    }
  }

  /** x ⊙ mask, mask entries 0 (rate) or 1/(1 − rate), drawn from the model's dropout stream. */
  private dropout(x: Tensor): Tensor {
    return dropout(x, this.config.dropout, this.dropoutRandom);
  }

  /** Validated int32 positions [B, t], each in [0, contextLength). */
  private positionTensor(rows: readonly (readonly number[])[], batch: number, seq: number, what: string): Tensor {
    const ids = new Int32Array(batch * seq);
    if (rows.length !== batch) throw new Error(`Transformer.forward: ${what} has ${rows.length} rows, tokens have ${batch}`);
    rows.forEach((row, i) => {
      if (row.length !== seq) throw new Error(`Transformer.forward: ${what} row ${i} has ${row.length} entries, tokens have ${seq}`);
      row.forEach((p, j) => {
        if (!Number.isInteger(p) || p < 0 || p >= this.config.contextLength) {
          throw new Error(`Transformer.forward: ${what}[${i}][${j}] = ${p} is outside [0, contextLength = ${this.config.contextLength})`);
        }
        ids[i * seq + j] = p;
      });
    });
    return tfNow().tensor2d(ids, [batch, seq], 'int32');
  }

  /** Validated int32 ids [B, t]. */
  private tokenTensor(tokens: TokenBatch): Tensor {
    return tokenIds(tokens, this.config, 'Transformer.forward');
  }
}
