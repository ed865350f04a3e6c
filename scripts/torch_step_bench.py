#!/usr/bin/python3
"""PyTorch's time for one LSTM step (batch 1, one thread) on a .cmodel, for comparison with
`continuo bench`: the same weights, fed one token at a time with the state carried over.

    /usr/bin/python3 scripts/torch_step_bench.py MODEL.cmodel [STEPS] [--allow-reference-blas]

Prints which BLAS PyTorch runs on to stderr (and refuses the slow reference BLAS unless
--allow-reference-blas), then one JSON object on stdout:
{"steps":N,"step_us_p50":..,"step_us_p99":..,"step_us_max":..,"blas":".."}.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_blas  # noqa: E402  (before torch: pins BLAS threads)

import torch  # noqa: E402

from torch_reference import load  # noqa: E402


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit(__doc__.strip())
    torch.set_num_threads(1)
    _, blas = torch_blas.check("--allow-reference-blas" in sys.argv)
    steps = int(args[1]) if len(args) > 1 else 3000
    V, embedding, lstm, output = load(args[0])
    gen = torch.Generator().manual_seed(1)
    times = []
    with torch.inference_mode():
        state = None
        token = torch.zeros((1, 1), dtype=torch.long)
        for i in range(steps + 1000):
            t0 = time.perf_counter_ns()
            x = embedding(token) if embedding is not None else \
                torch.nn.functional.one_hot(token, V).float()
            y, state = lstm(x, state)
            logits = output(y[0, 0])
            t1 = time.perf_counter_ns()
            token = torch.multinomial(torch.softmax(logits, -1), 1, generator=gen).view(1, 1)
            if i >= 1000:
                times.append((t1 - t0) / 1000)
    times.sort()
    pick = lambda q: times[min(len(times) - 1, max(0, int(q * len(times) + 0.999999) - 1))]
    print(json.dumps({"steps": steps, "step_us_p50": round(pick(0.5), 2),
                      "step_us_p99": round(pick(0.99), 2), "step_us_max": round(times[-1], 2), "blas": blas}))


if __name__ == "__main__":
    main()
