#!/usr/bin/python3
"""PyTorch peer for training throughput: MusicDna's default model and loop, in Debian's python3-torch.

The same work as MusicDna's default Train (src/MusicDna.Model: AutoencoderConfig, TrainingOptions,
AutoencoderTrainer): a 12→128→64→6→64→128→12 autoencoder (Linear+ReLU, linear latent, Sigmoid output), Adam at
1e-3, batch 256, MSE; the same split sizes (floor 10 % validation, floor 10 % test, the rest trained on); each
epoch shuffles, steps over the batches (index_select of a permutation), sums the loss on the device, then
evaluates the validation rows in chunks of 16,384 under no_grad, and copies the weights when validation improves.
The same thread count as TorchSharp's (MusicDna pins 1; --threads), for libtorch's intra-op pool and for the BLAS
below it: Debian's torch calls OpenBLAS, whose own thread pool torch.set_num_threads does not reach, so the count
goes into OPENBLAS_NUM_THREADS (and OMP/MKL_NUM_THREADS) before numpy and torch load.

--db reads the catalogue's raw features and min-max scales them to [0, 1] (MusicDna applies Yeo-Johnson first):
the values change the losses, not the work per sample. --rows reads rows MusicDna scaled and split itself, for a
side-by-side run on the same data (format in read_rows). Throughput counts the steady epochs, from the end of
epoch 1 to the end of the last, as bench/MusicDna.BenchDriver does for MusicDna. Time to quality is the time from
the start of training to the end of the first epoch whose validation MSE is within 5 % of the best one.
Prints one JSON object.

Usage: /usr/bin/python3 train_torch.py (--db catalogue.db | --rows rows.bin) --epochs 20 [--threads 1] [--batch 256]
"""
import argparse
import copy
import json
import os
import sqlite3
import sys
import time


def parse_arguments():
    parser = argparse.ArgumentParser()
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--db", help="a MusicDna catalogue.db (SQLite) to read and scale the tracks of")
    source.add_argument("--rows", help="train/validation/test rows MusicDna already scaled (see read_rows)")
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--seed", type=int, default=42)
    return parser.parse_args()


if __name__ == "__main__":
    # BLAS thread pools start when their library loads, so the count must be in the environment before the imports.
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = str(parse_arguments().threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

FEATURES = ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo", "time_signature"]
EVALUATION_CHUNK_ROWS = 16384
QUALITY_MARGIN = 1.05


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


def read_catalogue(path, seed):
    """The catalogue's raw features, min-max scaled, split 10 % validation / 10 % test / the rest trained on."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    raw = np.array(connection.execute("SELECT " + ", ".join(FEATURES) + " FROM tracks ORDER BY id").fetchall(),
                   dtype=np.float64)
    connection.close()
    low, high = raw.min(axis=0), raw.max(axis=0)
    scaled = ((raw - low) / np.where(high > low, high - low, 1.0)).astype(np.float32)

    rng = np.random.default_rng(seed)
    order = rng.permutation(len(scaled))
    validation_rows = int(np.floor(len(scaled) * 0.1))
    test_rows = int(np.floor(len(scaled) * 0.1))
    return (torch.from_numpy(scaled[order[validation_rows + test_rows:]]),
            torch.from_numpy(scaled[order[:validation_rows]]))


def read_rows(path):
    """Rows as a side-by-side run writes them: three int32 row counts (train, validation, test), then those rows'
    12 float32 features each, row-major, in that order (native byte order)."""
    counts = np.fromfile(path, dtype=np.int32, count=3)
    values = np.fromfile(path, dtype=np.float32, offset=12).reshape(-1, len(FEATURES))
    if len(values) != counts.sum():
        sys.exit(f"{path}: {len(values)} rows, the header counts {counts.sum()}")
    train, validation = counts[0], counts[1]
    return (torch.from_numpy(values[:train].copy()),
            torch.from_numpy(values[train:train + validation].copy()))


def main():
    arguments = parse_arguments()
    torch.set_num_threads(arguments.threads)
    torch.manual_seed(arguments.seed)
    train, validation = read_rows(arguments.rows) if arguments.rows else read_catalogue(arguments.db, arguments.seed)
    rows = train.shape[0]

    # The clock starts before the model is built, as MusicDna's trainer's does.
    started, started_cpu = time.perf_counter(), time.process_time()
    model = Autoencoder([len(FEATURES), 128, 64, 6])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    best, best_state = float("inf"), None
    epoch_ends, epoch_cpu_ends, validation_losses = [], [], []
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
        epoch_cpu_ends.append(time.process_time() - started_cpu)
        validation_losses.append(validation_loss)

    steady = epoch_ends[-1] - epoch_ends[0]
    quality = next(end for end, loss in zip(epoch_ends, validation_losses) if loss <= best * QUALITY_MARGIN)
    print(json.dumps({
        "rows_used": rows, "epochs_run": arguments.epochs, "steady_epochs": arguments.epochs - 1,
        "steady_seconds": steady, "samples_per_s": rows * (arguments.epochs - 1) / steady,
        "steady_cpu_seconds": epoch_cpu_ends[-1] - epoch_cpu_ends[0], "time_to_quality_s": quality,
        "threads": torch.get_num_threads(), "torch": torch.__version__, "last_train_loss": train_loss,
        "best_validation_loss": best, "kept_weights": best_state is not None,
    }))


if __name__ == "__main__":
    main()
