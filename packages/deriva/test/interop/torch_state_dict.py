"""Saves a PyTorch state dict as safetensors with float16, bfloat16 and int64 tensors, as a
PyTorch user would with safetensors.torch.save_file (written here by hand: Debian has no
`safetensors` Python package; the format is an 8-byte little-endian header length, a JSON header,
then the raw little-endian tensors).

Usage: python3 torch_state_dict.py OUT_DIR  ->  OUT_DIR/weights.safetensors, OUT_DIR/reference.json
(the architecture as deriva layer configs, an input, and PyTorch's output for the weights as saved).
"""
import json
import struct
import sys

import torch
from torch import nn

CODES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}


def save_safetensors(tensors, path):
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        # bytes of any dtype, little-endian: reinterpret as uint8 (bfloat16 has no numpy form)
        data = t.contiguous().view(torch.uint8).numpy().tobytes() if t.dim() > 0 else t.reshape(1).view(torch.uint8).numpy().tobytes()
        header[name] = {"dtype": CODES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


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
    save_safetensors(saved, f"{out_dir}/weights.safetensors")
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
