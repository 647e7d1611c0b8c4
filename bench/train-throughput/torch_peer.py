"""PyTorch CPU peer for bench/train-throughput: the same causal transformer
and training step as depthlab's CausalLM on its Trainer.

Model (depthlab's Transformer, src/models/backbone/Transformer.ts): vocab 32,
context 64, d_model 128, 4 heads, 2 layers, MLP 4x, pre-LayerNorm blocks
(eps 1e-5), learned positions, untied unembedding, no dropout, float32:

    x = E[tokens] + P[0..t)
    per layer:  a = LN1(x); q, k, v = a Wq + bq, a Wk + bk, a Wv + bv (4 heads of 32)
                x = x + concat_h(softmax(q k^T / sqrt(h) + M) v) Wo + bo     (M: causal, -1e9)
                x = x + GELU_tanh(LN2(x) W1 + b1) W2 + b2
    logits = LN_f(x) U

Step: masked mean next-token cross-entropy (targets x[:, 1:], last column
masked out), backward, global-norm clipping at 1, Adam (lr 1e-3, 0.9, 0.999,
1e-8), the loss and norm read back as Python floats (as the Trainer does).
Batches: 32 x 64 uniform random tokens, a fresh batch per step.

Prints one JSON line: {"params", "train" (tokens/s, median of windows),
"train_range", "infer" (forward only, tokens/s, median), "threads", "torch"}.
With --serve it prints {"params", "threads", "torch"} and then runs the
windows the bench asks for on stdin ("train N", "infer N", "quit"), each
answered with {"seconds": wall time}, so that the bench can interleave its
own windows with the peer's on a shared, noisy machine.
Usage: torch_peer.py [--threads N] [--warmup W] [--windows K] [--window-steps S] [--serve]
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, CONTEXT, D, HEADS, LAYERS, MLP = 32, 64, 128, 4, 2, 4
BATCH, SEQ = 32, 64


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1 = nn.LayerNorm(D, eps=1e-5)
        self.wq = nn.Linear(D, D)
        self.wk = nn.Linear(D, D)
        self.wv = nn.Linear(D, D)
        self.wo = nn.Linear(D, D)
        self.ln2 = nn.LayerNorm(D, eps=1e-5)
        self.up = nn.Linear(D, MLP * D)
        self.down = nn.Linear(MLP * D, D)

    def forward(self, x, mask):
        b, t, _ = x.shape
        h = D // HEADS
        a = self.ln1(x)
        split = lambda y: y.view(b, t, HEADS, h).transpose(1, 2)  # [B, H, t, h]
        q = split(self.wq(a)) * (1.0 / math.sqrt(h))
        k = split(self.wk(a))
        v = split(self.wv(a))
        probs = torch.softmax(q @ k.transpose(-1, -2) + mask, dim=-1)
        attended = (probs @ v).transpose(1, 2).reshape(b, t, D)
        x = x + self.wo(attended)
        return x + self.down(F.gelu(self.up(self.ln2(x)), approximate="tanh"))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, D)
        self.pos = nn.Parameter(torch.randn(CONTEXT, D) * 0.02)
        self.blocks = nn.ModuleList([Block() for _ in range(LAYERS)])
        self.lnf = nn.LayerNorm(D, eps=1e-5)
        self.unembed = nn.Linear(D, VOCAB, bias=False)  # untied, no bias (depthlab's U)
        for name, p in self.named_parameters():
            if p.dim() == 2 and name != "pos":
                nn.init.normal_(p, std=0.02)
            elif name.endswith(".bias"):
                nn.init.zeros_(p)
        mask = torch.triu(torch.full((CONTEXT, CONTEXT), -1e9), diagonal=1)
        self.register_buffer("mask", mask)

    def forward(self, tokens):
        t = tokens.shape[1]
        x = self.tok(tokens) + self.pos[:t]
        mask = self.mask[:t, :t]
        for blk in self.blocks:
            x = blk(x, mask)
        return self.unembed(self.lnf(x))


def closed_form_params():
    f = MLP * D
    per_layer = 2 * D + 3 * (D * D + D) + (D * D + D) + 2 * D + D * f + f + f * D + D
    return VOCAB * D + CONTEXT * D + LAYERS * per_layer + 2 * D + D * VOCAB


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--windows", type=int, default=5)
    ap.add_argument("--window-steps", type=int, default=3)
    ap.add_argument("--serve", action="store_true", help="take train/infer commands on stdin (see below)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Model()
    params = sum(p.numel() for p in model.parameters())
    assert params == closed_form_params(), (params, closed_form_params())
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    gen = torch.Generator().manual_seed(1)
    loss_mask = torch.ones(BATCH, SEQ)
    loss_mask[:, -1] = 0

    def step():
        tokens = torch.randint(0, VOCAB, (BATCH, SEQ), generator=gen)
        nxt = torch.cat([tokens[:, 1:], tokens[:, -1:]], dim=1)
        logits = model(tokens)
        nll = F.cross_entropy(logits.reshape(-1, VOCAB), nxt.reshape(-1), reduction="none").view(BATCH, SEQ)
        loss = (nll * loss_mask).sum() / loss_mask.sum().clamp(min=1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item(), float(norm)

    fixed = torch.randint(0, VOCAB, (BATCH, SEQ), generator=gen)

    def infer():
        with torch.no_grad():
            return model(fixed).sum().item()

    if a.serve:
        # Driven by the bench, one window at a time, interleaved with depthlab's
        # windows: "train N" / "infer N" run N steps and answer {"seconds": s}.
        print(json.dumps({"params": params, "threads": a.threads, "torch": torch.__version__}), flush=True)
        for line in sys.stdin:
            cmd, _, arg = line.strip().partition(" ")
            if cmd == "quit":
                break
            fn = step if cmd == "train" else infer
            t0 = time.perf_counter()
            for _ in range(int(arg)):
                fn()
            print(json.dumps({"seconds": time.perf_counter() - t0}), flush=True)
        return

    for _ in range(a.warmup):
        step()
    train = []
    for _ in range(a.windows):
        t0 = time.perf_counter()
        for _ in range(a.window_steps):
            step()
        train.append(BATCH * SEQ * a.window_steps / (time.perf_counter() - t0))
    infer()
    rates = []
    for _ in range(a.windows):
        t0 = time.perf_counter()
        for _ in range(a.window_steps):
            infer()
        rates.append(BATCH * SEQ * a.window_steps / (time.perf_counter() - t0))
    print(json.dumps({
        "params": params,
        "train": statistics.median(train),
        "train_range": [min(train), max(train)],
        "infer": statistics.median(rates),
        "threads": a.threads,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
