"""Loads a deriva model folder into PyTorch and runs it: the interoperability check.

Usage: python3 torch_load.py MODEL_DIR INPUTS.json  ->  prints the outputs as JSON.

The weights are read the way safetensors.torch.load_file reads them (8-byte little-endian
header length, JSON header, raw little-endian data at data_offsets); the architecture in
model.json becomes the torch.nn.Sequential of the same layers, which must accept the state
dict with strict=True (both done by examples/pytorch/deriva_folder.py, which this checks too).
model.json names the weights file ("files": {"weights": {"file": ...}}).
"""
import json
import os
import sys

import torch

# the layers and the safetensors reader of examples/pytorch/deriva_folder.py
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../../../examples/pytorch"))
from deriva_folder import layer, read_safetensors  # noqa: E402


def main(model_dir, inputs_path):
    with open(f"{model_dir}/model.json") as f:
        description = json.load(f)
    model = layer(description["architecture"])
    # the weights file is the one model.json names (weights-<hash>.safetensors)
    weights, metadata = read_safetensors(f"{model_dir}/{description['files']['weights']['file']}")
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
