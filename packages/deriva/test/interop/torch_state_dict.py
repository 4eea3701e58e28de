"""Saves a PyTorch state dict as safetensors with float16, bfloat16 and int64 tensors, as a
PyTorch user would with safetensors.torch.save_file (Debian has no `safetensors` Python package:
the file is written by examples/pytorch/deriva_folder.py, an 8-byte little-endian header length, a
JSON header, then the raw little-endian tensors).

Usage: python3 torch_state_dict.py OUT_DIR  ->  OUT_DIR/weights.safetensors, OUT_DIR/reference.json
(the architecture as deriva layer configs, an input, and PyTorch's output for the weights as saved).
"""
import json
import os
import sys

import torch
from torch import nn

# the repository's own safetensors writer (examples/pytorch), which handles every dtype here
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../../../examples/pytorch"))
from deriva_folder import CODES, safetensors_bytes  # noqa: E402


def main(out_dir):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(36, 8), nn.BatchNorm1d(8), nn.GELU(), nn.Linear(8, 3))
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(8, 1, 6, 6))
    state = model.state_dict()
    # half precision for the convolution, bfloat16 for the first Linear; int64 counters as PyTorch keeps them
    saved = {}
    for name, t in state.items():
        if name.startswith("0."):
            t = t.half()
        elif name.startswith("5."):
            t = t.bfloat16()
        saved[name] = t
    assert saved["1.num_batches_tracked"].dtype == torch.int64
    with open(f"{out_dir}/weights.safetensors", "wb") as f:
        f.write(safetensors_bytes(saved))
    # PyTorch's outputs for the weights as saved (rounded to 16 bits where they were)
    model.load_state_dict({k: v.to(state[k].dtype) for k, v in saved.items()})
    model.eval()
    x = torch.randn(5, 1, 6, 6)
    with torch.no_grad():
        y = model(x)
    architecture = {"type": "Sequential", "layers": [
        {"type": "Conv2d", "in": 1, "out": 4, "kernel": 3, "padding": 1}, {"type": "BatchNorm2d", "features": 4},
        {"type": "ReLU"}, {"type": "MaxPool2d", "kernel": 2}, {"type": "Flatten"}, {"type": "Linear", "in": 36, "out": 8},
        {"type": "BatchNorm1d", "features": 8}, {"type": "GELU"}, {"type": "Linear", "in": 8, "out": 3}]}
    with open(f"{out_dir}/reference.json", "w") as f:
        json.dump({"architecture": architecture,
                   "dtypes": {k: CODES[v.dtype] for k, v in saved.items()},
                   "input": {"shape": list(x.shape), "values": x.flatten().tolist()},
                   "output": {"shape": list(y.shape), "values": y.flatten().tolist()}}, f)


if __name__ == "__main__":
    main(sys.argv[1])
