"""Runs torch.optim on the trajectory problem of optimizers.test.ts and prints the parameters.

Usage: python3 torch_optim.py CASES.json -> JSON list of final parameter lists, one per case.
Problem: f(p) = Σ c_i (p_i − t_i)⁴ + Σ (p_i − t_i)², in float64, from p0, `steps` steps.
"""
import json
import sys

import torch

OPTIMIZERS = {
    "SGD": lambda p, o: torch.optim.SGD(p, lr=o["lr"], momentum=o.get("momentum", 0), nesterov=o.get("nesterov", False),
                                        weight_decay=o.get("weightDecay", 0), dampening=o.get("dampening", 0)),
    "Adam": lambda p, o: torch.optim.Adam(p, lr=o["lr"], betas=tuple(o.get("betas", (0.9, 0.999))), eps=o.get("eps", 1e-8),
                                          weight_decay=o.get("weightDecay", 0)),
    "AdamW": lambda p, o: torch.optim.AdamW(p, lr=o["lr"], betas=tuple(o.get("betas", (0.9, 0.999))), eps=o.get("eps", 1e-8),
                                            weight_decay=o.get("weightDecay", 0.01)),
    "RMSprop": lambda p, o: torch.optim.RMSprop(p, lr=o["lr"], alpha=o.get("alpha", 0.99), eps=o.get("eps", 1e-8),
                                                weight_decay=o.get("weightDecay", 0), momentum=o.get("momentum", 0),
                                                centered=o.get("centered", False)),
    "Adagrad": lambda p, o: torch.optim.Adagrad(p, lr=o["lr"], lr_decay=o.get("lrDecay", 0), weight_decay=o.get("weightDecay", 0),
                                                initial_accumulator_value=o.get("initialAccumulatorValue", 0), eps=o.get("eps", 1e-10)),
}


def run(problem, case):
    p = torch.tensor(problem["p0"], dtype=torch.float64, requires_grad=True)
    c = torch.tensor(problem["c"], dtype=torch.float64)
    t = torch.tensor(problem["t"], dtype=torch.float64)
    opt = OPTIMIZERS[case["type"]]([p], case["options"])
    for _ in range(problem["steps"]):
        opt.zero_grad()
        d = p - t
        (c * d**4 + d**2).sum().backward()
        opt.step()
    return p.detach().tolist()


with open(sys.argv[1]) as f:
    spec = json.load(f)
print(json.dumps([run(spec["problem"], case) for case in spec["cases"]]))
