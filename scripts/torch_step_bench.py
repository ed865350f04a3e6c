#!/usr/bin/python3
"""PyTorch's time for one LSTM step (batch 1, one thread) on a .cmodel, for comparison with
`continuo bench`: the same weights, fed one token at a time with the state carried over.

    /usr/bin/python3 scripts/torch_step_bench.py MODEL.cmodel [STEPS]

Prints one JSON object: {"steps":N,"step_us_p50":..,"step_us_p99":..,"step_us_max":..}.
"""
import json
import sys
import time

import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from torch_reference import load  # noqa: E402


def main():
    torch.set_num_threads(1)
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    V, embedding, lstm, output = load(sys.argv[1])
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
                      "step_us_p99": round(pick(0.99), 2), "step_us_max": round(times[-1], 2)}))


if __name__ == "__main__":
    main()
