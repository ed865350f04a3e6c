#!/usr/bin/python3
"""The training steps of scripts/train_torch.py on given weights and windows, for comparison with
`continuo train`'s (TrainerParityTest): from the weights of --init, the windows of the training
pieces of --shards in their stored order (no shuffle, no augmentation, no dropout), --windows
training steps of train_torch.py's own train_step, the state carried between them. Prints one JSON
line: each step's summed NLL and counted events, the validation NLL before and after, and writes
the trained weights to --out.

    /usr/bin/python3 scripts/trainer_parity.py --shards DIR --init M.cmodel --out AFTER.cmodel \\
        --batch 4 --seq-len 16 --windows 3 --lr 0.01 --clip 1.0
"""
import argparse
import json
import os
import sys
import zipfile

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import torch  # noqa: E402

from export_torch import export  # noqa: E402
from train_torch import Net, Windows, load_shards, load_weights, train_step, validation_sums, zero_state  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shards", required=True)
    ap.add_argument("--init", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--seq-len", type=int, required=True)
    ap.add_argument("--windows", type=int, required=True)
    ap.add_argument("--lr", type=float, required=True)
    ap.add_argument("--clip", type=float, required=True)
    args = ap.parse_args()
    torch.set_num_threads(1)

    train, valid, _ = load_shards(args.shards)
    with zipfile.ZipFile(args.init) as z:
        arch = json.loads(z.read("model.json"))["architecture"]
    E, H, L = arch["embedding_size"], arch["hidden_size"], arch["layers"]
    model = Net(E, H, L, 0.0)
    load_weights(model, args.init)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8)
    rows = np.arange(args.batch)
    shape = (L, args.batch, H)

    def valid_nll():
        loss, counted = validation_sums(model, valid, args.batch, args.seq_len, rows, shape, "cpu")
        return loss / max(counted, 1)

    before = valid_nll()
    w = Windows(train, args.batch, args.seq_len)
    if w.count < args.windows:
        sys.exit(f"trainer_parity.py: the training pieces hold only {w.count} windows")
    state, losses, counted = zero_state(shape, "cpu"), [], []
    for i in range(args.windows):
        batch = tuple(torch.from_numpy(np.ascontiguousarray(a)) for a in w.window(i, rows))
        n = float(batch[3].sum())
        total, state = train_step(model, optimizer, batch, state, n, 1, args.lr, args.clip)
        losses.append(total)
        counted.append(n)
    export(model, args.out, name="parity")
    print(json.dumps({"losses": losses, "counted": counted, "valid_before": before, "valid_after": valid_nll()}))


if __name__ == "__main__":
    main()
