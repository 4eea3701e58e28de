"""Loads a deriva model folder into PyTorch and runs it: the interoperability check.

Usage: python3 torch_load.py MODEL_DIR INPUTS.json  ->  prints the outputs as JSON.

The weights are read the way safetensors.torch.load_file reads them (8-byte little-endian
header length, JSON header, raw little-endian data at data_offsets); the architecture in
model.json becomes the torch.nn.Sequential of the same layers, which must accept the state
dict with strict=True. model.json names the weights file ("files": {"weights": {"file": ...}}).
"""
import json
import struct
import sys

import torch
from torch import nn

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32, "I64": torch.int64}


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    body = data[8 + n :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        flat = torch.frombuffer(bytearray(body[begin:end]), dtype=DTYPES[info["dtype"]])
        tensors[name] = flat.reshape(info["shape"])
    return tensors, header.get("__metadata__", {})


def pair(v):
    return tuple(v) if isinstance(v, list) else v


def layer(c):
    t = c["type"]
    if t == "Linear":
        return nn.Linear(c["in"], c["out"], bias=c.get("bias", True))
    if t == "Conv2d":
        return nn.Conv2d(c["in"], c["out"], pair(c["kernel"]), stride=pair(c.get("stride", 1)),
                         padding=pair(c.get("padding", 0)), bias=c.get("bias", True))
    if t in ("MaxPool2d", "AvgPool2d"):
        cls = nn.MaxPool2d if t == "MaxPool2d" else nn.AvgPool2d
        return cls(pair(c["kernel"]), stride=pair(c.get("stride", c["kernel"])))
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


def main(model_dir, inputs_path):
    with open(f"{model_dir}/model.json") as f:
        description = json.load(f)
    architecture = description["architecture"]
    assert architecture["type"] == "Sequential", architecture["type"]
    model = nn.Sequential(*[layer(c) for c in architecture["layers"]])
    # the weights file is the one model.json names (weights-<hash>.safetensors)
    weights, metadata = load_safetensors(f"{model_dir}/{description['files']['weights']['file']}")
    model.load_state_dict(weights, strict=True)
    model.eval()
    with open(inputs_path) as f:
        inputs = json.load(f)
    x = torch.tensor(inputs["values"], dtype=torch.float32).reshape(inputs["shape"])
    with torch.no_grad():
        y = model(x)
    print(json.dumps({"format": metadata.get("format"), "shape": list(y.shape), "values": y.flatten().tolist()}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
