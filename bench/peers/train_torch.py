#!/usr/bin/python3
"""PyTorch peer for training throughput: MusicDna's default model and loop, in Debian's python3-torch.

The same work as MusicDna's default Train (src/MusicDna.Model: AutoencoderConfig, TrainingOptions,
AutoencoderTrainer): a 12→128→64→6→64→128→12 autoencoder (Linear+ReLU, linear latent, Sigmoid output), Adam at
1e-3, batch 256, MSE; the same split sizes (floor 10 % validation, floor 10 % test, the rest trained on); each
epoch shuffles, steps over the batches (index_select of a permutation), sums the loss on the device, then
evaluates the validation rows in chunks of 16,384 under no_grad, and copies the weights when validation improves.
The same intra-op thread count as TorchSharp's (MusicDna pins 1; --threads).

Rows are the catalogue's raw features min-max scaled to [0, 1] (MusicDna applies Yeo-Johnson first): the values
change the losses, not the work per sample. Throughput counts the steady epochs, from the end of epoch 1 to the
end of the last, as bench/MusicDna.BenchDriver does for MusicDna, and prints one JSON object.

Usage: /usr/bin/python3 train_torch.py --db catalogue.db --epochs 20 [--threads 1] [--batch 256]
"""
import argparse
import copy
import json
import sqlite3
import time

import numpy as np
import torch
from torch import nn

FEATURES = ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo", "time_signature"]
EVALUATION_CHUNK_ROWS = 16384


def stack(widths, final):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(nn.ReLU())
    if final is not None:
        layers.append(final)
    return nn.Sequential(*layers)


class Autoencoder(nn.Module):
    def __init__(self, widths):
        super().__init__()
        self.encoder = stack(widths, None)
        self.decoder = stack(list(reversed(widths)), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


def evaluate(model, rows):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for start in range(0, rows.shape[0], EVALUATION_CHUNK_ROWS):
            chunk = rows.narrow(0, start, min(EVALUATION_CHUNK_ROWS, rows.shape[0] - start))
            total += nn.functional.mse_loss(model(chunk), chunk, reduction="sum").double().item()
    return total / (rows.shape[0] * rows.shape[1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--seed", type=int, default=42)
    arguments = parser.parse_args()

    torch.set_num_threads(arguments.threads)
    torch.manual_seed(arguments.seed)
    connection = sqlite3.connect(f"file:{arguments.db}?mode=ro", uri=True)
    raw = np.array(connection.execute("SELECT " + ", ".join(FEATURES) + " FROM tracks ORDER BY id").fetchall(),
                   dtype=np.float64)
    connection.close()
    low, high = raw.min(axis=0), raw.max(axis=0)
    scaled = ((raw - low) / np.where(high > low, high - low, 1.0)).astype(np.float32)

    rng = np.random.default_rng(arguments.seed)
    order = rng.permutation(len(scaled))
    validation_rows = int(np.floor(len(scaled) * 0.1))
    test_rows = int(np.floor(len(scaled) * 0.1))
    validation = torch.from_numpy(scaled[order[:validation_rows]])
    train = torch.from_numpy(scaled[order[validation_rows + test_rows:]])
    rows = train.shape[0]

    model = Autoencoder([len(FEATURES), 128, 64, 6])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    best, best_state = float("inf"), None
    epoch_ends = []
    started = time.perf_counter()
    for _ in range(arguments.epochs):
        model.train()
        permutation = torch.randperm(rows)
        loss_sum = torch.zeros(1, dtype=torch.float64)
        for start in range(0, rows, arguments.batch):
            batch_rows = permutation.narrow(0, start, min(arguments.batch, rows - start))
            batch = train.index_select(0, batch_rows)
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(model.decoder(model.encoder(batch)), batch)
            loss.backward()
            optimizer.step()
            loss_sum.add_(loss.detach(), alpha=batch_rows.shape[0])
        train_loss = loss_sum.item() / rows
        validation_loss = evaluate(model, validation)
        if validation_loss < best:
            best, best_state = validation_loss, copy.deepcopy(model.state_dict())
        epoch_ends.append(time.perf_counter() - started)

    steady = epoch_ends[-1] - epoch_ends[0]
    print(json.dumps({
        "rows_used": rows, "epochs_run": arguments.epochs, "steady_epochs": arguments.epochs - 1,
        "steady_seconds": steady, "samples_per_s": rows * (arguments.epochs - 1) / steady,
        "threads": torch.get_num_threads(), "torch": torch.__version__, "last_train_loss": train_loss,
        "best_validation_loss": best, "kept_weights": best_state is not None,
    }))


if __name__ == "__main__":
    main()
