#!/usr/bin/python3
"""Export a trained PyTorch model to continuo's .cmodel format.

The model is nn.Embedding(V, E) -> nn.LSTM(E, H, L, batch_first=True) -> nn.Linear(H, V) held in
attributes named ``embedding``, ``lstm`` and ``output`` (``embedding`` may be None for one-hot
input, in which case the LSTM's input size is V). V must be 388 (the performance encoding).

Usage from Python:

    import sys; sys.path.insert(0, "scripts")
    from export_torch import export
    export(model, "models/mine.cmodel", name="mine", description="Folk tunes, 2 x 512",
           training={"corpus": "nottingham", "epochs": 20, "val_loss": 1.93},
           reference_bpm=100.0)  # the tempo the model speaks at (optional, 20..400)

Usage from the shell, for a randomly initialised model (tests, benchmarks):

    /usr/bin/python3 scripts/export_torch.py --random E H L SEED OUT.cmodel

The file is a zip of model.json plus one .npy per tensor (little-endian float32, C order),
under PyTorch's own names, so numpy.load reads every entry back.
"""
import io
import json
import sys
import zipfile

import numpy as np

VOCAB = 388
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def _npy(array):
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(array, dtype="<f4"), allow_pickle=False)
    return buf.getvalue()


def export(model, path, name="model", description="", training=None, reference_bpm=None,
           onsets_per_beat=None):
    """Writes model as a .cmodel; reference_bpm (20..400), when given, is the tempo it speaks at,
    onsets_per_beat (0.05..64) how dense its music is there (distinct onsets per beat)."""
    lstm = model.lstm
    embedding = getattr(model, "embedding", None)
    E = 0 if embedding is None else embedding.weight.shape[1]
    H, L = lstm.hidden_size, lstm.num_layers
    assert model.output.weight.shape == (VOCAB, H), "the output layer must be Linear(H, 388)"
    assert lstm.batch_first and not lstm.bidirectional and lstm.proj_size == 0
    config = {
        "format": "continuo-model", "version": 1, "name": name, "description": description,
        "encoding": {"type": "performance", "time_shift_ms": 10, "time_shift_steps": 100,
                     "velocity_bins": 32},
        "architecture": {"type": "lstm", "vocab_size": VOCAB, "embedding_size": E,
                         "hidden_size": H, "layers": L},
        "training": training or {},
    }
    if reference_bpm is not None:
        assert 20 <= reference_bpm <= 400, f"reference_bpm must be 20..400, got {reference_bpm}"
        config["encoding"]["reference_bpm"] = float(reference_bpm)
    if onsets_per_beat is not None:
        assert 0.05 <= onsets_per_beat <= 64, f"onsets_per_beat must be 0.05..64, got {onsets_per_beat}"
        config["encoding"]["onsets_per_beat"] = float(onsets_per_beat)
    tensors = []
    if embedding is not None:
        tensors.append(("embedding.weight", embedding.weight))
    for k in range(L):
        for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            tensors.append((f"lstm.{kind}_l{k}", getattr(lstm, f"{kind}_l{k}")))
    tensors += [("output.weight", model.output.weight), ("output.bias", model.output.bias)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("model.json", FIXED_TIME), json.dumps(config, indent=2) + "\n",
                   compress_type=zipfile.ZIP_DEFLATED)
        for tensor_name, t in tensors:
            z.writestr(zipfile.ZipInfo(tensor_name + ".npy", FIXED_TIME),
                       _npy(t.detach().cpu().float().numpy()), compress_type=zipfile.ZIP_DEFLATED)


def random_model(E, H, L, seed):
    """A torch-initialised model of the expected shape."""
    import torch
    from torch import nn

    torch.manual_seed(seed)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(VOCAB, E) if E > 0 else None
            self.lstm = nn.LSTM(E if E > 0 else VOCAB, H, L, batch_first=True)
            self.output = nn.Linear(H, VOCAB)

        def forward(self, tokens):
            if self.embedding is None:
                x = nn.functional.one_hot(tokens, VOCAB).float()
            else:
                x = self.embedding(tokens)
            y, _ = self.lstm(x)
            return self.output(y)

    return Net()


if __name__ == "__main__":
    if len(sys.argv) != 7 or sys.argv[1] != "--random":
        sys.exit(__doc__)
    E, H, L, seed = (int(a) for a in sys.argv[2:6])
    export(random_model(E, H, L, seed), sys.argv[6], name=f"torch-random-e{E}-h{H}-l{L}",
           description=f"PyTorch-initialised random weights (seed {seed}); it plays noise.",
           training={"corpus": "none", "seed": seed})
