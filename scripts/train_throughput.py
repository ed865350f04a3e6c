#!/usr/bin/python3
"""Training throughput of `continuo train` against PyTorch on this machine, side by side.

Both train the same model (folk's architecture by default: E=64, H=256, L=2) on the same token
shards with the same batch (64 streams) and window (128 events), one epoch each, in alternation
(continuo, PyTorch, continuo, ...) so that a change in the machine's load hits both alike. Each
uses every core: continuo's kernels and ND4J's OpenBLAS run on `nproc` threads, PyTorch on
`nproc` threads with the system BLAS. Prints the BLAS each one runs on, every run's events/s with
the load average at its start, and the medians.

    /usr/bin/python3 scripts/train_throughput.py --corpus DIR [--rounds 5] [--files 300]

DIR is a folder of MIDI files (e.g. the Nottingham tunes); its first --files files, by name, are
encoded once into token shards under target/train-throughput.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def system_blas():
    path = "/etc/alternatives/libblas.so.3-x86_64-linux-gnu"
    return os.path.realpath(path) if os.path.exists(path) else "unknown"


def load():
    return os.getloadavg()[0]


def run_continuo(args, shards, out):
    cmd = [os.path.join(ROOT, "continuo"), "train", "--shards", shards, "--out", out, "--epochs", "1",
           "--embedding", str(args.embedding), "--hidden", str(args.hidden), "--layers", str(args.layers),
           "--batch", str(args.batch), "--seq-len", str(args.seq_len), "--threads", str(args.threads),
           "--warmup", "0", "--stretch", "0"]
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), OPENBLAS_NUM_THREADS=str(args.threads))
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"continuo train failed:\n{p.stderr}")
    blas = re.search(r"BLAS (.*)$", p.stderr, re.M)
    rate = re.search(r"([\d,]+) events/s", p.stdout)
    return float(rate.group(1).replace(",", "")), "ND4J " + (blas.group(1) if blas else "unknown")


def run_torch(args, shards, out):
    cmd = ["/usr/bin/python3", os.path.join(HERE, "train_torch.py"), "--shards", shards, "--out", out,
           "--epochs", "1", "--embedding", str(args.embedding), "--hidden", str(args.hidden),
           "--layers", str(args.layers), "--batch", str(args.batch), "--seq-len", str(args.seq_len),
           "--threads", str(args.threads), "--no-save"]
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), OPENBLAS_NUM_THREADS=str(args.threads))
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"train_torch.py failed:\n{p.stderr}")
    result = json.loads(p.stdout.strip().splitlines()[-1])
    return float(result["events_per_second"]), f"{system_blas()} ({result['threads']} threads)"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True, help="folder of MIDI files")
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--embedding", type=int, default=64)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seq-len", type=int, default=128)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    args = ap.parse_args()

    work = os.path.join(ROOT, "target", "train-throughput")
    subset, shards = os.path.join(work, "corpus"), os.path.join(work, "shards")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(subset)
    names = sorted(n for n in os.listdir(args.corpus) if n.lower().endswith((".mid", ".midi")))[:args.files]
    if not names:
        sys.exit(f"{args.corpus} holds no .mid files")
    for n in names:
        os.symlink(os.path.abspath(os.path.join(args.corpus, n)), os.path.join(subset, n))
    p = subprocess.run([os.path.join(ROOT, "continuo"), "encode", "--shards", shards, "--corpus", subset,
                        "--valid-fraction", "0"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"encode --shards failed:\n{p.stderr}")
    print(f"# {p.stdout.strip()}")
    print(f"# model E={args.embedding} H={args.hidden} L={args.layers}, batch {args.batch}, window "
          f"{args.seq_len}, one epoch per run, {args.threads} threads each, {os.cpu_count()} cores")
    rates = {"continuo": [], "pytorch": []}
    blas = {}
    out = os.path.join(work, "m.cmodel")
    for r in range(args.rounds):
        for name, fn in (("continuo", run_continuo), ("pytorch", run_torch)):
            before = load()
            started = time.time()
            rate, blas[name] = fn(args, shards, out)
            rates[name].append(rate)
            print(f"round {r + 1} {name:9s} {rate:9,.0f} events/s  (load {before:.2f} at start, "
                  f"{time.time() - started:.0f} s)", flush=True)
    for name in rates:
        print(f"{name:9s} median {statistics.median(rates[name]):9,.0f} events/s  "
              f"min {min(rates[name]):,.0f}  max {max(rates[name]):,.0f}  BLAS {blas[name]}")
    ratio = statistics.median(rates["continuo"]) / statistics.median(rates["pytorch"])
    print(f"continuo / pytorch: {ratio:.2f}x")


if __name__ == "__main__":
    main()
