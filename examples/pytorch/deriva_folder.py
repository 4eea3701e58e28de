"""deriva model folders from PyTorch: read one as an nn.Sequential with its data, write one back.

A deriva model folder holds model.json (the architecture as layer configs, the preprocessing, the
class names, the training record, and the weight files with their sizes and SHA-256) and the
weights as safetensors, named as in a PyTorch nn.Sequential of the same layers ("1.weight", ...).
Nothing here needs deriva, or the safetensors package: the format is an 8-byte little-endian header
length, a JSON header, then the raw little-endian tensors.
"""
import csv
import hashlib
import json
import os
import struct
import tempfile

import torch
from torch import nn

DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16,
          "I32": torch.int32, "I64": torch.int64}
CODES = {dtype: code for code, dtype in DTYPES.items()}
IMAGE_FILES = (".png", ".jpg", ".jpeg")


# ── safetensors ───────────────────────────────────────────────────────────────────────────

def read_safetensors(path):
    """(tensors, metadata): the tensors by name, and the header's "__metadata__" ({} when absent)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        flat = torch.frombuffer(bytearray(body[begin:end]), dtype=DTYPES[info["dtype"]])
        tensors[name] = flat.reshape(info["shape"])
    return tensors, header.get("__metadata__", {})


def safetensors_bytes(tensors):
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        raw = t.detach().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()
        header[name] = {"dtype": CODES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


# ── the architecture ──────────────────────────────────────────────────────────────────────

def _pair(v):
    return tuple(v) if isinstance(v, list) else v


def layer(c):
    """The torch.nn module of one deriva layer config."""
    t = c["type"]
    if t == "Sequential":
        return nn.Sequential(*[layer(inner) for inner in c["layers"]])
    if t == "Linear":
        return nn.Linear(c["in"], c["out"], bias=c.get("bias", True))
    if t == "Conv2d":
        return nn.Conv2d(c["in"], c["out"], _pair(c["kernel"]), stride=_pair(c.get("stride", 1)),
                         padding=_pair(c.get("padding", 0)), bias=c.get("bias", True))
    if t in ("MaxPool2d", "AvgPool2d"):
        cls = nn.MaxPool2d if t == "MaxPool2d" else nn.AvgPool2d
        return cls(_pair(c["kernel"]), stride=_pair(c.get("stride", c["kernel"])))
    if t == "Flatten":
        return nn.Flatten(start_dim=c.get("startAxis", 1))
    if t == "Dropout":
        return nn.Dropout(c.get("p", 0.5))
    if t in ("BatchNorm1d", "BatchNorm2d"):
        cls = nn.BatchNorm1d if t == "BatchNorm1d" else nn.BatchNorm2d
        return cls(c["features"], eps=c.get("eps", 1e-5), momentum=c.get("momentum", 0.1), affine=c.get("affine", True))
    if t == "LeakyReLU":
        return nn.LeakyReLU(c.get("slope", 0.01))
    if t == "Softmax":
        return nn.Softmax(dim=c.get("axis", -1))
    return {"ReLU": nn.ReLU, "Sigmoid": nn.Sigmoid, "Tanh": nn.Tanh, "GELU": nn.GELU}[t]()


def read_model(folder):
    """(model, description): the nn.Sequential with the folder's weights, and model.json as a dict."""
    with open(os.path.join(folder, "model.json")) as f:
        description = json.load(f)
    if description.get("format") != "deriva-model":
        raise SystemExit(f"{folder}/model.json is not a deriva model")
    model = layer(description["architecture"])
    weights_file = description.get("files", {}).get("weights", {}).get("file", "weights.safetensors")
    weights, _ = read_safetensors(os.path.join(folder, weights_file))
    model.load_state_dict(weights, strict=True)
    return model, description


def _write_atomic(path, data):
    folder = os.path.dirname(path) or "."
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def write_model(folder, description, model):
    """Writes `model`'s weights into a deriva model folder as deriva does: the new weights file beside the
    old one, then model.json (naming it with its size and SHA-256) replaced in one rename, then the old
    files removed. deriva's int32 counters stay int32; the optimizer state is not carried over."""
    os.makedirs(folder, exist_ok=True)
    state = {name: (t.to(torch.int32) if t.dtype == torch.int64 else t.float())
             for name, t in model.state_dict().items()}
    data = safetensors_bytes(state)
    digest = hashlib.sha256(data).hexdigest()
    name = f"weights-{digest[:16]}.safetensors"
    _write_atomic(os.path.join(folder, name), data)
    described = dict(description)
    described["files"] = {"weights": {"file": name, "bytes": len(data), "sha256": digest}}
    old = set(os.listdir(folder))
    _write_atomic(os.path.join(folder, "model.json"), (json.dumps(described, indent=2) + "\n").encode())
    for stale in old:
        if stale != name and stale.startswith(("weights", "optimizer")) and stale.endswith(".safetensors"):
            os.unlink(os.path.join(folder, stale))


# ── the data, preprocessed as deriva preprocesses it ─────────────────────────────────────

def read_data(path, description):
    """(x, y): an image folder (one sub-folder per class) or a CSV file, through the model's preprocessing."""
    prep = description["preprocessing"]
    if prep is None:
        raise SystemExit("the model has no preprocessing: this script reads image folders and CSV files")
    if prep["kind"] == "image":
        return _read_images(path, prep, description["classes"])
    return _read_table(path, prep)


def _read_images(folder, prep, classes):
    from PIL import Image  # Debian's python3-pil comes with python3-torch

    h, w, channels = prep["height"], prep["width"], prep["channels"]
    xs, ys = [], []
    for label, name in enumerate(classes):
        directory = os.path.join(folder, name)
        for file in sorted(os.listdir(directory)):
            if not file.lower().endswith(IMAGE_FILES):
                continue
            image = Image.open(os.path.join(directory, file)).convert("L" if channels == 1 else "RGB")
            if image.size != (w, h):
                image = image.resize((w, h), Image.BOX)
            pixels = torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8).float() / 255
            xs.append(pixels.reshape(h, w, channels).permute(2, 0, 1))
            ys.append(label)
    x = torch.stack(xs)
    if "mean" in prep:
        x = (x - torch.tensor(prep["mean"]).reshape(1, -1, 1, 1)) / torch.tensor(prep["std"]).reshape(1, -1, 1, 1)
    if prep["layout"] == "flat":
        x = x.reshape(len(xs), -1)
    return x, torch.tensor(ys)


def _read_table(path, prep):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    features = []
    for row in rows:
        values = []
        for column in prep["columns"]:
            cell = row[column["name"]]
            if column["kind"] == "numeric":
                values.append((float(cell) - column["mean"]) / column["std"])
            else:
                values.extend(1.0 if cell == c else 0.0 for c in column["categories"])
        features.append(values)
    target = prep["target"]
    if target["task"] == "classification":
        y = torch.tensor([target["classes"].index(row[target["column"]]) for row in rows])
    else:
        y = torch.tensor([float(row[target["column"]]) for row in rows])
    return torch.tensor(features), y


def loss_function(description):
    """The loss the model was trained with (model.json's training.loss), as torch computes it."""
    name = description.get("training", {}).get("loss", "cross-entropy")
    mse = nn.MSELoss()
    losses = {"cross-entropy": nn.CrossEntropyLoss(), "mse": mse, "quadratic": lambda out, y: mse(out, y) / 2,
              "mae": nn.L1Loss(), "huber": nn.HuberLoss()}
    if name not in losses:
        raise SystemExit(f"the loss '{name}' has no PyTorch counterpart here")
    regression = description["task"] == "regression"
    return lambda out, y: losses[name](out.squeeze(1) if regression and out.shape[1] == 1 else out, y)
