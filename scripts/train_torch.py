#!/usr/bin/python3
"""Train continuo's LSTM with PyTorch on token shards, on a CPU, a GPU, or many of either.

The model, loss and schedule are those of `continuo train`: Embedding(388, E) -> LSTM(H, L) ->
Linear(H, 388), dropout on every layer's output, truncated back-propagation through windows of
--seq-len events over --batch parallel streams of whole pieces, the recurrent state carried from
window to window and reset where a stream starts a new piece, the mean negative log-likelihood of
every next event within a piece, Adam with global-norm clipping, and validation on the held-out
pieces from the zero state. The best model by validation NLL is written as a .cmodel that continuo
loads directly, with "training": {"trainer": "pytorch", "world_size": N, ...} in its model.json.

    continuo encode --shards shards/folk --corpus nottingham/midi
    /usr/bin/python3 scripts/train_torch.py --shards shards/folk --out models/mine.cmodel

Data-parallel (DistributedDataParallel; gloo on CPU, nccl on GPUs): --batch is the global batch,
its streams are shared out between the processes and the gradients averaged, so N processes train
the same model as one.

    python3 -m torch.distributed.run --standalone --nproc_per_node 2 scripts/train_torch.py ...
    python3 -m torch.distributed.run --nnodes 2 --nproc_per_node 4 --rdzv_backend c10d \\
        --rdzv_endpoint HOST:29500 scripts/train_torch.py ...
"""
import argparse
import io
import json
import math
import os
import sys
import time
import zipfile

import numpy as np


def _blas_threads(argv):
    """Debian's torch multiplies on the system OpenBLAS, whose pthreads torch.set_num_threads does
    not limit: OpenBLAS reads OPENBLAS_NUM_THREADS when it loads, so --threads N sets it (unless
    already set) before torch is imported."""
    for i, a in enumerate(argv):
        value = a.split("=", 1)[1] if a.startswith("--threads=") else argv[i + 1] if a == "--threads" and i + 1 < len(argv) else None
        if value and value.isdigit() and int(value) > 0:
            os.environ.setdefault("OPENBLAS_NUM_THREADS", value)


if __name__ == "__main__":
    _blas_threads(sys.argv)
import torch  # noqa: E402
from torch import nn  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_torch import VOCAB, export  # noqa: E402

NOTE_OFF, TIME_SHIFT, VELOCITY, SHIFT_STEPS, SHIFT_MS = 128, 256, 356, 100, 10


def fail(message):
    sys.exit(f"train_torch.py: {message}")


def load_shards(directory):
    """Training and validation pieces (lists of int64 arrays) and the manifest."""
    path = os.path.join(directory, "manifest.json")
    if not os.path.isfile(path):
        fail(f"{directory} has no manifest.json (write one with continuo encode --shards)")
    with open(path) as f:
        manifest = json.load(f)
    if manifest.get("format") != "continuo-shards" or manifest.get("version") != 1:
        fail(f"{path}: expected format \"continuo-shards\" version 1")
    if manifest["encoding"].get("type") != "performance" or manifest["encoding"].get("vocab_size") != VOCAB:
        fail(f"{path}: encoding must be \"performance\" with vocab_size {VOCAB}")
    pieces = {"train": [], "valid": []}
    for shard in manifest["shards"]:
        for key in ("tokens", "starts"):
            if os.path.basename(shard[key]) != shard[key] or shard[key].startswith("."):
                fail(f"{path} names a shard file \"{shard[key]}\" outside its directory")
        tokens = np.load(os.path.join(directory, shard["tokens"]), allow_pickle=False)
        starts = np.load(os.path.join(directory, shard["starts"]), allow_pickle=False)
        if tokens.ndim != 1 or tokens.size and (tokens.min() < 0 or tokens.max() >= VOCAB):
            fail(f"{shard['tokens']}: tokens must be a 1-D array of 0..{VOCAB - 1}")
        ends = list(starts[1:]) + [len(tokens)]
        pieces[shard["split"]] += [tokens[a:b].astype(np.int64) for a, b in zip(starts, ends)]
    return pieces["train"], pieces["valid"], manifest


def transposed(piece, limit, rng):
    """The piece moved by a random number of semitones in [-limit, limit] that keeps it in 0..127."""
    notes = piece < TIME_SHIFT
    if limit <= 0 or not notes.any():
        return piece
    pitches = piece[notes] % NOTE_OFF
    down, up = min(limit, int(pitches.min())), min(limit, 127 - int(pitches.max()))
    shift = int(rng.integers(-down, up + 1))
    out = piece.copy()
    out[notes] += shift
    return out


def stretched(piece, amount, rng):
    """The piece played by a random factor in [1 - amount, 1 + amount] slower or faster: every time
    shift is scaled, rounded on the 10 ms grid without drift."""
    if amount <= 0:
        return piece
    factor = 1 + rng.uniform(-amount, amount)
    out, clock, emitted = [], 0, 0
    for token in piece.tolist():
        if TIME_SHIFT <= token < VELOCITY:
            clock += token - TIME_SHIFT + 1
            continue
        target = int(round(clock * factor))
        while target - emitted > 0:
            step = min(SHIFT_STEPS, target - emitted)
            out.append(TIME_SHIFT + step - 1)
            emitted += step
        out.append(token)
    target = int(round(clock * factor))
    while target - emitted > 0:
        step = min(SHIFT_STEPS, target - emitted)
        out.append(TIME_SHIFT + step - 1)
        emitted += step
    return np.asarray(out, dtype=np.int64)


class Windows:
    """Pieces laid end to end into `batch` streams balanced by length; window w is steps
    w*T..w*T+T-1 of every stream (as continuo's train/Windows)."""

    def __init__(self, pieces, batch, steps, rng=None, transpose=0, stretch=0.0, pad=False):
        order = list(range(len(pieces)))
        if rng is not None:
            rng.shuffle(order)
        streams = [[] for _ in range(batch)]
        lengths = [0] * batch
        used = max(1, min(batch, len(pieces)))
        for i in order:
            p = pieces[i]
            if rng is not None:
                p = stretched(transposed(p, transpose, rng), stretch, rng)
            b = min(range(used), key=lambda k: lengths[k])
            streams[b].append(p)
            lengths[b] += len(p)
        longest, shortest = max(lengths[:used]), min(lengths[:used])
        width = longest + 1
        self.tokens = np.zeros((batch, width), dtype=np.int64)
        self.starts = np.zeros((batch, width), dtype=bool)
        self.lengths = np.asarray(lengths)
        for b, parts in enumerate(streams):
            at = 0
            for p in parts:
                self.tokens[b, at:at + len(p)] = p
                self.starts[b, at] = True
                at += len(p)
        self.steps = steps
        usable = longest if pad else shortest
        self.count = 0 if not pieces else ((usable - 1 + steps - 1) // steps if pad else (usable - 1) // steps)

    def window(self, w, rows):
        """(inputs, targets, keep, weight), each (len(rows), T), for window w of streams `rows`."""
        pos = w * self.steps + np.arange(self.steps)
        lengths = self.lengths[rows][:, None]
        has_input = pos[None, :] < lengths
        has_target = pos[None, :] + 1 < lengths
        cols = np.minimum(pos, self.tokens.shape[1] - 2)
        tok = self.tokens[rows][:, cols]
        nxt = self.tokens[rows][:, cols + 1]
        st = self.starts[rows][:, cols]
        st_next = self.starts[rows][:, cols + 1]
        inputs = np.where(has_input, tok, 0)
        keep = ~(has_input & st)
        targets = np.where(has_target, nxt, 0)
        weight = has_target & ~st_next
        return inputs, targets, keep, weight


class Net(nn.Module):
    """Embedding -> LSTM -> dropout -> Linear; nn.LSTM's own dropout covers the inner layers."""

    def __init__(self, E, H, L, dropout):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, E)
        self.lstm = nn.LSTM(E, H, L, batch_first=True, dropout=dropout if L > 1 else 0.0)
        self.drop = nn.Dropout(dropout)
        self.output = nn.Linear(H, VOCAB)

    def forward(self, inputs, keep, state):
        """inputs, keep: (B, T); state: (h, c) each (L, B, H). The state of stream b is zeroed
        before step t where keep[b, t] is 0; the LSTM runs in chunks between such steps."""
        x = self.embedding(inputs)
        resets = (~keep).any(dim=0).nonzero().flatten().tolist()
        bounds = sorted(set([0] + resets + [inputs.shape[1]]))
        h, c = state
        outputs = []
        for a, b in zip(bounds[:-1], bounds[1:]):
            k = keep[:, a].to(h.dtype)[None, :, None]
            h, c = h * k, c * k
            y, (h, c) = self.lstm(x[:, a:b], (h, c))
            outputs.append(y)
        y = self.drop(torch.cat(outputs, dim=1))
        return self.output(y), (h, c)


def train_step(net, optimizer, batch, state, counted, world, lr, clip):
    """One window of training: forward from the carried `state`, the summed NLL of the counted
    targets, and (when any count) the gradient of their mean over all `world` processes (`counted`
    is their number), clipped to global norm `clip`, and one Adam step at rate `lr`. Returns the
    summed NLL and the state to carry, detached."""
    inputs, targets, keep, weight = batch
    logits, state = net(inputs, keep, state)
    state = (state[0].detach(), state[1].detach())
    nll = nn.functional.cross_entropy(logits.reshape(-1, VOCAB), targets.reshape(-1), reduction="none")
    total = (nll * weight.reshape(-1)).sum()
    if counted > 0:
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.zero_grad(set_to_none=True)
        (total * world / counted).backward()
        nn.utils.clip_grad_norm_(net.parameters(), clip)
        optimizer.step()
    return float(total.detach()), state


def zero_state(shape, device):
    return torch.zeros(shape, device=device), torch.zeros(shape, device=device)


def validation_sums(model, pieces, batch, seq_len, rows, state_shape, device):
    """The summed NLL of every counted next event of `pieces` (streams `rows` of `batch`), each
    piece from the zero state, without dropout, and the number of those events."""
    model.eval()
    w = Windows(pieces, batch, seq_len, pad=True)
    state, loss, counted = zero_state(state_shape, device), 0.0, 0.0
    with torch.no_grad():
        for i in range(w.count):
            x, y, k, wt = (torch.from_numpy(np.ascontiguousarray(a)).to(device) for a in w.window(i, rows))
            logits, state = model(x, k, state)
            nll = nn.functional.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1), reduction="none")
            loss += float((nll * wt.reshape(-1)).sum())
            counted += float(wt.sum())
    model.train()
    return loss, counted


def load_weights(model, path):
    """Loads a .cmodel's tensors into model; fails with one line when the file or its shapes do not
    match the model built from the command line."""
    try:
        with zipfile.ZipFile(path) as z:
            tensors = {n[:-4]: torch.from_numpy(np.load(io.BytesIO(z.read(n)), allow_pickle=False))
                       for n in z.namelist() if n.endswith(".npy")}
    except (OSError, zipfile.BadZipFile, ValueError) as e:
        fail(f"--init {path}: not a readable .cmodel ({e})")
    own = model.state_dict()
    if set(tensors) != set(own):
        fail(f"--init {path}: its tensors {sorted(tensors)} are not this model's {sorted(own)}")
    for name, t in tensors.items():
        if tuple(t.shape) != tuple(own[name].shape):
            fail(f"--init {path}: {name} is {tuple(t.shape)}, this model's is "
                 f"{tuple(own[name].shape)}; give the same --embedding, --hidden and --layers")
    model.load_state_dict(tensors)


def learning_rate(args, epoch_lr, step, total_steps):
    """--lr with linear warm-up over --warmup windows, then the plateau rate or a cosine decay."""
    warm = min(1.0, (step + 1) / args.warmup) if args.warmup > 0 else 1.0
    if args.schedule == "cosine":
        progress = min(1.0, step / max(1, total_steps))
        return args.lr * warm * (args.min_lr_ratio + (1 - args.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))
    return epoch_lr * warm


def blas_name():
    try:
        return os.path.realpath("/etc/alternatives/libblas.so.3-x86_64-linux-gnu").split("/")[-2]
    except OSError:
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shards", required=True, help="directory written by continuo encode --shards")
    ap.add_argument("--out", required=True, help="model file to write (.cmodel)")
    ap.add_argument("--name", help="model name (default: the file name)")
    ap.add_argument("--description", default="", help="one sentence for model.json")
    ap.add_argument("--embedding", type=int, default=64)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch", type=int, default=64, help="global batch: streams over all processes")
    ap.add_argument("--seq-len", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.002)
    ap.add_argument("--schedule", choices=("plateau", "cosine"), default="plateau",
                    help="plateau: halve after an epoch without improvement (as continuo train);"
                         " cosine: decay to --min-lr-ratio over all epochs")
    ap.add_argument("--warmup", type=int, default=0, help="windows of linear learning-rate warm-up")
    ap.add_argument("--min-lr-ratio", type=float, default=0.05)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--transpose", type=int, default=5)
    ap.add_argument("--stretch", type=float, default=0.0, help="random time stretch, e.g. 0.1 = +-10%%")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-windows", type=int, default=0,
                    help="stop each epoch after this many windows (benchmarks; 0 = all)")
    ap.add_argument("--init", help="start from this .cmodel's weights (its architecture must match) "
                    "instead of a random initialisation, e.g. to train a shipped model on")
    ap.add_argument("--no-save", action="store_true", help="do not write --out (benchmarks)")
    ap.add_argument("--threads", type=int, default=0,
                    help="torch and OpenBLAS threads per process (0 = torch's default)")
    args = ap.parse_args()
    for name, ok in (("--embedding", 1 <= args.embedding <= 4096), ("--hidden", 1 <= args.hidden <= 4096),
                     ("--layers", 1 <= args.layers <= 8), ("--epochs", args.epochs >= 1),
                     ("--seq-len", args.seq_len >= 2), ("--lr", 0 < args.lr < 1),
                     ("--dropout", 0 <= args.dropout < 1), ("--clip", args.clip > 0),
                     ("--transpose", 0 <= args.transpose <= 12), ("--stretch", 0 <= args.stretch < 0.5)):
        if not ok:
            fail(f"{name} is out of range")
    if not args.out.endswith(".cmodel"):
        fail(f"--out must name a .cmodel file, got {args.out}")

    if args.threads > 0:
        torch.set_num_threads(args.threads)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    cuda = torch.cuda.is_available()
    if world > 1:
        torch.distributed.init_process_group("nccl" if cuda else "gloo")
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', '0'))}" if cuda else "cpu")
    if cuda:
        torch.cuda.set_device(device)
    if args.batch < world:
        fail(f"--batch {args.batch} is smaller than the {world} processes")
    rows = np.arange(rank, args.batch, world)
    log = (lambda *a: print(*a, file=sys.stderr, flush=True)) if rank == 0 else (lambda *a: None)

    train, valid, manifest = load_shards(args.shards)
    if not train:
        fail(f"{args.shards} holds no training pieces")
    torch.manual_seed(args.seed)
    model = Net(args.embedding, args.hidden, args.layers, args.dropout).to(device)
    if args.init:
        load_weights(model, args.init)
        log(f"starting from the weights of {args.init}")
    net = model
    if world > 1:
        net = nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if cuda else None)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8)
    params = sum(p.numel() for p in model.parameters())
    log(f"training {os.path.basename(args.out)}: E={args.embedding} H={args.hidden} L={args.layers}, "
        f"{params:,} parameters; {len(train)} training pieces, {len(valid)} validation pieces; "
        f"{world} process(es) on {device.type}, BLAS {blas_name()}, {torch.get_num_threads()} thread(s)")

    def all_sum(values):
        t = torch.tensor(values, dtype=torch.float64, device=device)
        if world > 1:
            torch.distributed.all_reduce(t)
        return t.tolist()

    state_shape = (args.layers, len(rows), args.hidden)

    def validate():
        loss, counted = all_sum(list(validation_sums(model, valid, args.batch, args.seq_len, rows, state_shape, device)))
        return loss / max(counted, 1)

    history, best, epoch_lr, step, seconds, events_per_second = [], math.inf, args.lr, 0, 0.0, 0.0
    windows_per_epoch = Windows(train, args.batch, args.seq_len, np.random.default_rng(args.seed)).count
    if windows_per_epoch == 0:
        fail(f"the training pieces are too short for --seq-len {args.seq_len} with --batch {args.batch}")
    if args.max_windows:
        windows_per_epoch = min(windows_per_epoch, args.max_windows)
    total_steps = windows_per_epoch * args.epochs
    for epoch in range(args.epochs):
        w = Windows(train, args.batch, args.seq_len, np.random.default_rng(args.seed * 1_000_003 + epoch),
                    args.transpose, args.stretch)
        count = min(w.count, args.max_windows) if args.max_windows else w.count
        state, loss_sum, counted_sum, start = zero_state(state_shape, device), 0.0, 0.0, time.perf_counter()
        for i in range(count):
            batch = tuple(torch.from_numpy(np.ascontiguousarray(a)).to(device) for a in w.window(i, rows))
            counted = all_sum([float(batch[3].sum())])[0]
            total, state = train_step(net, optimizer, batch, state, counted, world,
                                      learning_rate(args, epoch_lr, step, total_steps), args.clip)
            step += 1
            loss_sum += total
            counted_sum += float(batch[3].sum())
        elapsed = time.perf_counter() - start
        seconds += elapsed
        events_per_second = count * args.batch * args.seq_len / max(elapsed, 1e-9)
        loss_sum, counted_sum = all_sum([loss_sum, counted_sum])
        train_nll = loss_sum / max(counted_sum, 1)
        valid_nll = validate() if valid else train_nll
        history.append({"epoch": epoch + 1, "train_nll": train_nll, "valid_nll": valid_nll})
        improved = valid_nll < best
        log(f"epoch {epoch + 1}/{args.epochs}: train NLL {train_nll:.4f}, validation NLL {valid_nll:.4f} "
            f"nats/event, {events_per_second:,.0f} events/s{' (best so far, saved)' if improved and not args.no_save else ''}")
        if improved:
            best = valid_nll
            if rank == 0 and not args.no_save:
                save(model, args, manifest, world, device, history, best, events_per_second, seconds,
                     len(train), len(valid))
        elif args.schedule == "plateau":
            epoch_lr *= 0.5
            log(f"validation did not improve; learning rate now {epoch_lr:.2e}")
    if rank == 0:
        print(json.dumps({"best_valid_nll": best, "events_per_second": round(events_per_second),
                          "world_size": world, "blas": blas_name(), "threads": torch.get_num_threads()}))
    if world > 1:
        torch.distributed.destroy_process_group()
        # Everything is written; leave without the interpreter's shutdown, which after a gloo run
        # hangs now and then in a background thread's teardown (torch 1.13), spinning a core.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def save(model, args, manifest, world, device, history, best, events_per_second, seconds, n_train, n_valid):
    out = args.out
    name = args.name or os.path.basename(out)[:-len(".cmodel")]
    training = {
        "trainer": "pytorch", "world_size": world, "device": device.type,
        "torch": torch.__version__, "corpus": manifest.get("sources", []),
        "split": manifest.get("split", {}).get("rule", ""),
        "train_pieces": n_train, "train_events": manifest["counts"]["train"]["events"],
        "valid_pieces": n_valid, "valid_events": manifest["counts"]["valid"]["events"],
        "epochs": len(history), "seq_len": args.seq_len, "batch": args.batch, "lr": args.lr,
        "schedule": args.schedule, "warmup": args.warmup, "dropout": args.dropout, "clip": args.clip,
        "transpose": args.transpose, "stretch": args.stretch, "seed": args.seed,
        "init": os.path.basename(args.init) if args.init else None,
        "best_valid_nll": best, "history": history,
        "events_per_second": round(events_per_second), "training_seconds": round(seconds),
    }
    # The corpus's median tempo (encode --shards wrote it) is the tempo the model speaks at; with
    # --tempo-normalise, encode placed every piece at it and the manifest says so.
    bpm = manifest.get("reference_bpm")
    reference_bpm = bpm if isinstance(bpm, (int, float)) and 20 <= bpm <= 400 else None
    training["tempo_normalised"] = manifest.get("tempo_normalised") is True
    if training["tempo_normalised"]:
        training["tempo_normalised_bpm"] = reference_bpm
    # And how dense its music is there: the corpus's median distinct onsets per beat.
    density = manifest.get("onsets_per_beat")
    onsets_per_beat = (density if isinstance(density, (int, float)) and 0.05 <= density <= 64
                       else None)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = os.path.join(os.path.dirname(os.path.abspath(out)), "." + os.path.basename(out) + ".tmp")
    export(model, tmp, name=name, description=args.description, training=training,
           reference_bpm=reference_bpm, onsets_per_beat=onsets_per_beat)
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
