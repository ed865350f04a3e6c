#!/usr/bin/python3
"""continuo's LSTM step against PyTorch's on the same weights, side by side in one run.

    /usr/bin/python3 scripts/torch_side_by_side.py [--rounds N] [--steps N] [MODEL.cmodel ...]

For each model (default: the shipped models/*.cmodel) it runs `./continuo bench --json` (the
Vector API step used live) and scripts/torch_step_bench.py (PyTorch, one thread, batch 1) in
turns, alternating which goes first, so that a busy machine slows both alike. Each run reports its
median and p99 over STEPS steps; the table gives the median over the rounds of each, and the
ratio of the medians. Prints which BLAS PyTorch runs on and refuses the reference BLAS.

PyTorch's OpenBLAS runs one thread (OPENBLAS_NUM_THREADS=1) on the kernels continuo's launcher
picks for this CPU (OPENBLAS_CORETYPE from the instruction sets, as in ./continuo; --kernels to
name others): OpenBLAS falls back to its generic SSE3 kernels on a CPU model it does not know.
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run_json(cmd):
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("%s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr.strip()))
    return json.loads(p.stdout.strip().splitlines()[-1]), p.stderr


def launcher_kernels():
    """The OPENBLAS_CORETYPE ./continuo sets for this CPU (None: OpenBLAS's own choice)."""
    try:
        flags = next(l for l in open("/proc/cpuinfo") if l.startswith("flags")).split()
    except (OSError, StopIteration):
        return None
    if all(f in flags for f in ("avx512f", "avx512bw", "avx512vl", "avx512dq")):
        return "SkylakeX"
    if "avx2" in flags and "fma" in flags:
        return "Haswell"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--kernels", default=None,
                    help="OPENBLAS_CORETYPE for PyTorch (default: the one continuo's launcher picks)")
    ap.add_argument("models", nargs="*")
    a = ap.parse_args()
    kernels = a.kernels or os.environ.get("OPENBLAS_CORETYPE") or launcher_kernels()
    if kernels:
        os.environ["OPENBLAS_CORETYPE"] = kernels
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    models = a.models or sorted(glob.glob(os.path.join(ROOT, "models", "*.cmodel")))
    continuo = [os.path.join(ROOT, "continuo"), "bench", "--json", "--steps", str(a.steps)]
    torch = ["/usr/bin/python3", os.path.join(HERE, "torch_step_bench.py")]
    blas = None
    rows = []
    for m in models:
        runs = {"continuo": [], "pytorch": []}
        for r in range(a.rounds):
            order = ["continuo", "pytorch"] if r % 2 == 0 else ["pytorch", "continuo"]
            for who in order:
                if who == "continuo":
                    j, _ = run_json(continuo + ["--model", m])
                else:
                    j, _ = run_json(torch + [m, str(a.steps)])
                    blas = j["blas"]
                runs[who].append((j["step_us_p50"], j["step_us_p99"]))
                print("%s %s round %d: p50 %.1f us, p99 %.1f us" % (
                    os.path.basename(m), who, r + 1, j["step_us_p50"], j["step_us_p99"]),
                    file=sys.stderr, flush=True)
        med = {w: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v))
               for w, v in runs.items()}
        rows.append((os.path.basename(m), med, runs))
    print("PyTorch BLAS: %s, %s kernels, one thread" % (blas, kernels or "its own"))
    print("%d rounds of %d steps per model, interleaved; medians over the rounds, microseconds"
          % (a.rounds, a.steps))
    print("| model | continuo p50 / p99 | PyTorch p50 / p99 | PyTorch / continuo (p50) |")
    print("|---|---|---|---|")
    for name, med, _ in rows:
        c, t = med["continuo"], med["pytorch"]
        print("| `%s` | %.0f / %.0f | %.0f / %.0f | %.1fx |" % (
            name.replace(".cmodel", ""), c[0], c[1], t[0], t[1], t[0] / c[0]))
    print(json.dumps({name: {w: [list(x) for x in v] for w, v in runs.items()}
                      for name, _, runs in rows}))


if __name__ == "__main__":
    main()
