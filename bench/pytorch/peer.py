"""PyTorch as a peer of the benchmark suite (bench/WORKLOADS.md W1-W5), run by bench/lib/torch.ts.

    /usr/bin/python3 bench/pytorch/peer.py --threads T

sets its threads, prints one JSON line about itself (torch's version, the BLAS it calls), then
serves requests, one JSON line each on stdin: {"workload": "w1".."w5", "folder": FOLDER}. The
suite writes FOLDER/spec.json (the workload's settings and the arrays it passes) and one raw
little-endian file per array: the data, the data order and the initial weights the JavaScript
peers use, so that every peer trains on the same numbers in the same order. Each request is
answered with one JSON line: the raw results, timed as WORKLOADS.md says (times, losses,
accuracies, final values, and for W1 the product written back as a file), or {"error": ...}.
It checks nothing: the suite applies the same result checks to every peer. One process per
thread count serves the whole suite, so torch is imported once.

Threads: torch.set_num_threads(T) first, then threadpoolctl's limit (when installed) for
OpenBLAS and OpenMP, in that order (importing torch resets the OpenBLAS pool). The suite runs
this script with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset.
"""

import json
import os
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

try:
    import threadpoolctl
except ImportError:
    threadpoolctl = None

DTYPES = {"float32": torch.float32, "int32": torch.int32}


def load_arrays(folder, spec):
    arrays = {}
    for name, meta in spec["arrays"].items():
        with open(os.path.join(folder, meta["file"]), "rb") as f:
            raw = bytearray(f.read())
        arrays[name] = torch.frombuffer(raw, dtype=DTYPES[meta["dtype"]]).reshape(meta["shape"])
    return arrays


def write_array(folder, name, tensor):
    """Writes a float32 result for the suite to check; returns its description."""
    file = f"out-{name}.bin"
    with open(os.path.join(folder, file), "wb") as f:
        f.write(tensor.contiguous().numpy().tobytes())
    return {"file": file, "dtype": "float32", "shape": list(tensor.shape)}


def blas_info():
    """The BLAS torch's matmul calls (the library mapped into this process), and OpenBLAS's details."""
    a = torch.ones(64, 64)
    a @ a
    libraries = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in os.path.basename(path):
                libraries.add(path)
    info = {"libraries": sorted(libraries)}
    if threadpoolctl is not None:
        pools = [p for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
        if pools:
            pool = pools[0]
            info.update(
                {
                    "name": pool["internal_api"],
                    "version": pool.get("version"),
                    "threading": pool.get("threading_layer"),
                    "architecture": pool.get("architecture"),
                    "threads": pool.get("num_threads"),
                }
            )
    return info


def set_threads(threads):
    torch.set_num_threads(threads)
    if threadpoolctl is None:
        return None
    return threadpoolctl.threadpool_limits(threads)


def warm_up(call, seconds=0.25):
    """Untimed calls for `seconds`, and at least two, as bench/w1-matmul.ts warms every peer; the last result."""
    started = time.perf_counter()
    calls = 0
    while calls < 2 or time.perf_counter() - started < seconds:
        result = call()
        calls += 1
    return result


def w1(spec, arrays, folder):
    sizes = []
    for case in spec["sizes"]:
        n = case["n"]
        a, b = arrays[f"a{n}"], arrays[f"b{n}"]
        c = warm_up(lambda: torch.mm(a, b))
        seconds = []
        for _ in range(spec["repeats"]):
            started = time.perf_counter()
            for _ in range(case["inner"]):
                c = torch.mm(a, b)
            elapsed = time.perf_counter() - started
            seconds.append(elapsed / case["inner"])
            if elapsed > 2 and len(seconds) >= 3:
                break
        sizes.append({"n": n, "seconds": seconds, "c": write_array(folder, f"c{n}", c)})
    return {"sizes": sizes}


def load_weights(model, weights):
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            parameter.copy_(weights[name] if name in weights else torch.zeros_like(parameter))


def w2(spec, arrays, _folder):
    train_x, train_y = arrays["trainX"], arrays["trainY"].long()
    test_x, test_y = arrays["testX"], arrays["testY"].long()
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    load_weights(model, {"0.weight": arrays["w1"], "2.weight": arrays["w2"]})
    optimizer = torch.optim.SGD(model.parameters(), lr=spec["lr"])
    batch = spec["batch"]
    epochs = []
    for e in range(spec["epochs"]):
        order = arrays["orders"][e].long()
        steps = order.shape[0] // batch
        total = 0.0
        started = time.perf_counter()
        for s in range(steps):
            idx = order[s * batch : (s + 1) * batch]
            x, y = train_x[idx], train_y[idx]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            total += loss.item()
        seconds = time.perf_counter() - started
        with torch.no_grad():
            accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
        epochs.append({"seconds": seconds, "meanLoss": total / steps, "accuracy": accuracy})
    return {"epochs": epochs}


def w3(spec, arrays, _folder):
    train_x = arrays["trainX"].reshape(-1, 1, 28, 28)
    train_y = arrays["trainY"].long()
    order = arrays["order"].long()
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(1568, 10),
    )
    load_weights(model, {"0.weight": arrays["k1"], "3.weight": arrays["k2"], "7.weight": arrays["w3"]})
    optimizer = torch.optim.SGD(model.parameters(), lr=spec["lr"])
    batch, total_steps = spec["batch"], spec["warmup"] + spec["steps"]

    def run(train):
        losses, ms = [], []
        for s in range(total_steps):
            started = time.perf_counter()
            idx = order[s * batch : (s + 1) * batch]
            x, y = train_x[idx], train_y[idx]
            if train:
                optimizer.zero_grad()
                loss = F.cross_entropy(model(x), y)
                loss.backward()
                optimizer.step()
            else:
                with torch.no_grad():
                    loss = F.cross_entropy(model(x), y)
            losses.append(loss.item())
            if s >= spec["warmup"]:
                ms.append((time.perf_counter() - started) * 1000)
        return losses, ms

    losses, ms = run(True)
    _, forward_ms = run(False)
    return {"losses": losses, "ms": ms, "forwardMs": forward_ms}


def w4(spec, arrays, _folder):
    x, y = arrays["x"], arrays["y"]
    n = x.shape[0]

    def run():
        w = torch.zeros(2, requires_grad=True)
        b = torch.zeros((), requires_grad=True)
        optimizer = torch.optim.SGD([w, b], lr=spec["lr"])
        for _ in range(spec["steps"]):
            optimizer.zero_grad()
            cost = (torch.sigmoid(x @ w + b) - y).square().sum() / (2 * n)
            cost.backward()
            optimizer.step()
        with torch.no_grad():
            p = torch.sigmoid(x @ w + b)
            cost = (p - y).square().sum() / (2 * n)
            accuracy = ((p > 0.5) == (y == 1)).float().mean()
        return {"cost": cost.item(), "accuracy": accuracy.item(), "params": w.tolist() + [b.item()]}

    return timed_runs(run, spec["runs"])


def w5(spec, _arrays, _folder):
    def run():
        x = torch.tensor(float(spec["x0"]), requires_grad=True)
        for _ in range(spec["steps"]):
            y = x * x - 4 * x + 6
            (slope,) = torch.autograd.grad(y, x)
            with torch.no_grad():
                x -= spec["lr"] * slope
        return x.item()

    return timed_runs(run, spec["runs"])


def timed_runs(run, runs):
    """One warm-up run, then `runs` timed runs; the last one's result."""
    result = run()
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - started)
    return {"seconds": seconds, "result": result}


WORKLOADS = {"w1": w1, "w2": w2, "w3": w3, "w4": w4, "w5": w5}


def serve(threads):
    limits = set_threads(threads)
    meta = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_info()}
    print(json.dumps(meta), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        folder = request["folder"]
        try:
            with open(os.path.join(folder, "spec.json")) as f:
                spec = json.load(f)
            result = WORKLOADS[request["workload"]](spec, load_arrays(folder, spec), folder)
            reply = {**meta, "blas": blas_info(), **result}
        except Exception as error:  # the suite reports it and stops
            reply = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(reply), flush=True)
    del limits


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--threads":
        sys.exit("usage: peer.py --threads T (then one JSON request per line on stdin)")
    serve(int(sys.argv[2]))
