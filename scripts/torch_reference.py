#!/usr/bin/python3
"""Independent reference for continuo's LSTM step: loads a .cmodel with numpy into PyTorch's
nn.Embedding / nn.LSTM(batch_first=True) / nn.Linear and prints, as one JSON array, the
log-softmax of the output after each token (one row of 388 per token), from the zero state.

    /usr/bin/python3 scripts/torch_reference.py MODEL.cmodel 12,300,60,...
"""
import io
import json
import sys
import zipfile

import numpy as np
import torch
from torch import nn


def load(path):
    with zipfile.ZipFile(path) as z:
        config = json.loads(z.read("model.json"))
        arrays = {n[:-4]: np.load(io.BytesIO(z.read(n)), allow_pickle=False)
                  for n in z.namelist() if n.endswith(".npy")}
    arch = config["architecture"]
    V, E, H, L = arch["vocab_size"], arch["embedding_size"], arch["hidden_size"], arch["layers"]
    embedding = nn.Embedding(V, E) if E > 0 else None
    lstm = nn.LSTM(E if E > 0 else V, H, L, batch_first=True)
    output = nn.Linear(H, V)
    with torch.no_grad():
        if embedding is not None:
            embedding.weight.copy_(torch.from_numpy(arrays["embedding.weight"]))
        for k in range(L):
            for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(lstm, f"{kind}_l{k}").copy_(torch.from_numpy(arrays[f"lstm.{kind}_l{k}"]))
        output.weight.copy_(torch.from_numpy(arrays["output.weight"]))
        output.bias.copy_(torch.from_numpy(arrays["output.bias"]))
    return V, embedding, lstm, output


def main():
    torch.set_num_threads(1)
    V, embedding, lstm, output = load(sys.argv[1])
    tokens = torch.tensor([[int(t) for t in sys.argv[2].split(",")]])
    with torch.no_grad():
        x = embedding(tokens) if embedding is not None else nn.functional.one_hot(tokens, V).float()
        y, _ = lstm(x)
        logprobs = torch.log_softmax(output(y)[0].double(), dim=-1)
    json.dump(logprobs.tolist(), sys.stdout)


if __name__ == "__main__":
    main()
