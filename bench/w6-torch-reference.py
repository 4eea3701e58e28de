"""The PyTorch reference for cats vs dogs (issue 10), on deriva's fixed split.

Reads the split that bench/w6-split.ts writes (uint8 HWC photos and labels) and trains the
reference network: three blocks Conv2d 3x3 (32, 64, 128 channels) + BatchNorm2d + ReLU +
MaxPool2d 2, then Flatten and Linear(2048, 2); per-channel standardization fitted on the
training photos; Adam lr 1e-3 with weight decay 5e-4, cosine schedule over 30 epochs, batches
of 64; random horizontal flip and random 32x32 crop of the photo padded by 4 (zeros), new each
epoch. It trains on all 1,600 training photos and reports the accuracy on the 400 held-out ones.

    /usr/bin/python3 bench/w6-torch-reference.py SPLIT_FILE [--seeds 0,1,2] [--epochs 30] [--threads 2]
    /usr/bin/python3 bench/w6-torch-reference.py SPLIT_FILE --time-steps 25    # ms per training step

Prints one JSON object per line. Use Debian's python3-torch with libopenblas0-pthread installed
(without OpenBLAS it falls back to a reference BLAS that is about 30 times slower).
"""

import argparse
import json
import math
import time

import torch
from torch import nn

SIDE = 32


def read_split(path):
    raw = open(path, "rb").read()
    header = json.loads(raw[: raw.index(b"\n")])
    body = memoryview(raw)[raw.index(b"\n") + 1 :]
    parts = {}
    offset = 0
    for name in ("train", "test"):
        n = header[name]
        x = torch.frombuffer(bytearray(body[offset : offset + n * SIDE * SIDE * 3]), dtype=torch.uint8)
        offset += n * SIDE * SIDE * 3
        y = torch.frombuffer(bytearray(body[offset : offset + n]), dtype=torch.uint8)
        offset += n
        parts[name] = (x.reshape(n, SIDE, SIDE, 3).permute(0, 3, 1, 2).float() / 255, y.long())
    return parts


def reference_model():
    layers = []
    channels = 3
    for width in (32, 64, 128):
        layers += [nn.Conv2d(channels, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2)]
        channels = width
    layers += [nn.Flatten(), nn.Linear(128 * 4 * 4, 2)]
    return nn.Sequential(*layers)


def augment(x, generator):
    n = x.shape[0]
    flip = torch.rand(n, generator=generator) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(3), x)
    padded = nn.functional.pad(x, (4, 4, 4, 4))
    rows = torch.randint(0, 9, (n, 1), generator=generator) + torch.arange(SIDE)
    cols = torch.randint(0, 9, (n, 1), generator=generator) + torch.arange(SIDE)
    crops = padded[torch.arange(n)[:, None, None], :, rows[:, :, None], cols[:, None, :]]  # [n, 32, 32, C]
    return crops.permute(0, 3, 1, 2).contiguous()


def train_one(parts, seed, epochs, batch):
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    x, y = parts["train"]
    mean = x.mean(dim=(0, 2, 3), keepdim=True)
    std = x.std(dim=(0, 2, 3), keepdim=True)
    x = (x - mean) / std
    tx, ty = parts["test"]
    tx = (tx - mean) / std
    model = reference_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=5e-4)
    steps_per_epoch = math.ceil(x.shape[0] / batch)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * steps_per_epoch)
    loss_fn = nn.CrossEntropyLoss()
    started = time.perf_counter()
    for _ in range(epochs):
        model.train()
        order = torch.randperm(x.shape[0], generator=generator)
        for s in range(steps_per_epoch):
            idx = order[s * batch : (s + 1) * batch]
            optimizer.zero_grad()
            loss = loss_fn(model(augment(x[idx], generator)), y[idx])
            loss.backward()
            optimizer.step()
            schedule.step()
    seconds = time.perf_counter() - started
    model.eval()
    with torch.no_grad():
        accuracy = (model(tx).argmax(1) == ty).float().mean().item()
    return {"seed": seed, "epochs": epochs, "accuracy": accuracy, "seconds": seconds}


def time_steps(parts, steps, batch):
    """Median ms of one training step (augmentation, forward, backward, Adam update) after 5 warm-up steps."""
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(0)
    x, y = parts["train"]
    model = reference_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    times = []
    for s in range(5 + steps):
        idx = torch.arange(s * batch, (s + 1) * batch) % x.shape[0]
        started = time.perf_counter()
        optimizer.zero_grad()
        loss = loss_fn(model(augment(x[idx], generator)), y[idx])
        loss.backward()
        optimizer.step()
        loss.item()
        if s >= 5:
            times.append((time.perf_counter() - started) * 1000)
    ordered = sorted(times)
    return {"msPerStep": ordered[len(ordered) // 2], "samples": times, "steps": steps}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("split")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--time-steps", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    parts = read_split(args.split)
    meta = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    if args.time_steps > 0:
        print(json.dumps({**meta, **time_steps(parts, args.time_steps, args.batch)}), flush=True)
        return
    for seed in [int(s) for s in args.seeds.split(",")]:
        print(json.dumps({**meta, **train_one(parts, seed, args.epochs, args.batch)}), flush=True)


if __name__ == "__main__":
    main()
