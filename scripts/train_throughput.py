#!/usr/bin/python3
"""Training throughput of `continuo train` against PyTorch on this machine, side by side.

Both train the same model (folk's architecture by default: E=64, H=256, L=2) on the same token
shards with the same batch (64 streams) and window (128 events), one epoch each, in alternation
(continuo, PyTorch, continuo, ...) so that a change in the machine's load hits both alike, each at
the thread counts given (default: every core). PyTorch's OpenBLAS is pinned to its thread count
(OPENBLAS_NUM_THREADS) and runs the kernels continuo's launcher chose for this CPU
(OPENBLAS_CORETYPE, or --kernels for both). Prints the BLAS each one runs on, every run's events/s
with the load average at its start, the medians, and the ratio of each at its best.

    /usr/bin/python3 scripts/train_throughput.py --corpus DIR [--rounds 5] [--files 300] [--threads 1,2]
        [--torch-threads 1,2] [--torch-processes 2]

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


def run_continuo(args, shards, out, threads):
    cmd = [os.path.join(ROOT, "continuo"), "train", "--shards", shards, "--out", out, "--epochs", "1",
           "--embedding", str(args.embedding), "--hidden", str(args.hidden), "--layers", str(args.layers),
           "--batch", str(args.batch), "--seq-len", str(args.seq_len), "--threads", str(threads),
           "--warmup", "0", "--stretch", "0"]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"continuo train failed:\n{p.stderr}")
    blas = re.search(r"BLAS (.*)$", p.stderr, re.M)
    kernels = re.search(r"\((\w+) kernels\)", p.stderr)
    if kernels and "OPENBLAS_CORETYPE" not in os.environ:
        # PyTorch's OpenBLAS gets the kernels continuo's launcher chose for this CPU.
        os.environ["OPENBLAS_CORETYPE"] = kernels.group(1)
    rate = re.search(r"([\d,]+) events/s", p.stdout)
    return float(rate.group(1).replace(",", "")), "ND4J " + (blas.group(1) if blas else "unknown")


def run_torch(args, shards, out, threads, processes=1):
    launch = ["/usr/bin/python3"]
    if processes > 1:
        # DistributedDataParallel on this machine (gloo): each process takes its share of the
        # batch's streams on `threads` threads; events/s counts the whole batch.
        # (--redirects/--tee other than 0: torch 1.13's launcher fails on Python 3.11 without them.)
        launch += ["-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={processes}",
                   "--redirects", "2", "--tee", "2"]
    cmd = launch + [os.path.join(HERE, "train_torch.py"), "--shards", shards, "--out", out,
           "--epochs", "1", "--embedding", str(args.embedding), "--hidden", str(args.hidden),
           "--layers", str(args.layers), "--batch", str(args.batch), "--seq-len", str(args.seq_len),
           "--threads", str(threads), "--no-save"]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"train_torch.py failed:\n{p.stderr}")
    result = json.loads(p.stdout.strip().splitlines()[-1])
    where = f"{processes} processes x {threads} thread" if processes > 1 else f"{threads} threads"
    return float(result["events_per_second"]), (f"{system_blas()} ({where}, "
                                                f"{os.environ.get('OPENBLAS_CORETYPE', 'own')} kernels)")


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
    ap.add_argument("--threads", default=str(os.cpu_count()),
                    help="continuo's thread counts to try, e.g. 1,2 (default: every core)")
    ap.add_argument("--torch-threads", default=None,
                    help="PyTorch's thread counts to try, e.g. 1,2 (default: --threads)")
    ap.add_argument("--torch-processes", default="",
                    help="PyTorch DDP process counts to try as well, one thread each, e.g. 2")
    ap.add_argument("--kernels", default=None,
                    help="OPENBLAS_CORETYPE for both (default: the one continuo's launcher picks)")
    args = ap.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    torch_threads = [int(t) for t in (args.torch_threads or args.threads).split(",")]
    if args.kernels:
        os.environ["OPENBLAS_CORETYPE"] = args.kernels

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
          f"{args.seq_len}, one epoch per run, {os.cpu_count()} cores")
    torch_processes = [int(p) for p in args.torch_processes.split(",") if p]
    names = ([f"continuo-{t}t" for t in threads] + [f"pytorch-{t}t" for t in torch_threads]
             + [f"pytorch-{p}p" for p in torch_processes])
    rates = {name: [] for name in names}
    blas = {}
    out = os.path.join(work, "m.cmodel")
    for r in range(args.rounds):
        for name in names:
            before = load()
            started = time.time()
            count = int(name[name.index("-") + 1:-1])
            if name.startswith("continuo"):
                rate, blas[name] = run_continuo(args, shards, out, count)
            elif name.endswith("p"):
                rate, blas[name] = run_torch(args, shards, out, 1, processes=count)
            else:
                rate, blas[name] = run_torch(args, shards, out, count)
            rates[name].append(rate)
            print(f"round {r + 1} {name:11s} {rate:9,.0f} events/s  (load {before:.2f} at start, "
                  f"{time.time() - started:.0f} s)", flush=True)
    for name in names:
        print(f"{name:11s} median {statistics.median(rates[name]):9,.0f} events/s  "
              f"min {min(rates[name]):,.0f}  max {max(rates[name]):,.0f}  BLAS {blas[name]}")
    best = max((n for n in names if n.startswith("pytorch")), key=lambda n: statistics.median(rates[n]))
    ours = max((n for n in names if n.startswith("continuo")), key=lambda n: statistics.median(rates[n]))
    ratio = statistics.median(rates[ours]) / statistics.median(rates[best])
    print(f"continuo at its best ({ours}) / PyTorch at its best ({best}): {ratio:.2f}x")


if __name__ == "__main__":
    main()
