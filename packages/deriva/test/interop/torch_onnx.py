"""Exports PyTorch models with torch.onnx.export, for the ONNX import test.

Usage: python3 torch_onnx.py OUT_DIR  ->  writes OUT_DIR/<name>.onnx and OUT_DIR/<name>.json for
each model below: the input it was run on and PyTorch's output (float32, flattened), so that the
test can compare deriva's reading of the file with PyTorch itself. Seeded: the same files each run.
(torch.onnx.export in PyTorch 1.13 needs no `onnx` Python package.)
"""
import json
import sys

import torch
from torch import nn


def mlp():
    return nn.Sequential(
        nn.Flatten(), nn.Linear(12, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(16, 8), nn.GELU(), nn.Linear(8, 6), nn.LeakyReLU(0.1), nn.Linear(6, 3, bias=False),
        nn.Softmax(dim=1),
    ), (3, 4)


def cnn():
    return nn.Sequential(
        nn.Conv2d(2, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 6, (3, 2), stride=(1, 2), padding=(1, 0), bias=False), nn.Tanh(), nn.AvgPool2d(2),
        nn.Flatten(), nn.Linear(12, 5), nn.Sigmoid(), nn.Linear(5, 3),
    ), (2, 8, 10)


MODELS = {"mlp": (mlp, 13), "cnn": (cnn, 17)}


def main(out_dir):
    torch.manual_seed(0)
    for name, (make, opset) in MODELS.items():
        model, sample = make()
        # a few training-mode passes move BatchNorm's running statistics away from 0 and 1
        with torch.no_grad():
            for _ in range(3):
                model(torch.randn(8, *sample))
        model.eval()
        x = torch.randn(5, *sample)
        torch.onnx.export(model, x, f"{out_dir}/{name}.onnx", opset_version=opset,
                          input_names=["x"], output_names=["y"],
                          dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
        with torch.no_grad():
            y = model(x)
        with open(f"{out_dir}/{name}.json", "w") as f:
            json.dump({"input": {"shape": list(x.shape), "values": x.flatten().tolist()},
                       "output": {"shape": list(y.shape), "values": y.flatten().tolist()}}, f)


if __name__ == "__main__":
    main(sys.argv[1])
