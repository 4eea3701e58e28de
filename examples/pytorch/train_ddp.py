"""Continues training a deriva model with PyTorch's DistributedDataParallel, then writes it back.

It reads a deriva model folder (model.json's architecture as an nn.Sequential, the weights from
safetensors), reads the data through the model's own preprocessing (an image folder with one
sub-folder per class, or a CSV file), trains with DistributedDataParallel (gloo on CPUs; each process
takes its share of every epoch through a DistributedSampler), and rank 0 writes the weights into a
deriva model folder that `deriva eval` and `deriva predict` read.

One machine, two processes (Debian's PyTorch 1.13 on Python 3.11 needs `--redirects 1 --tee 1` for
torchrun to start; without torchrun, start each rank with RANK, WORLD_SIZE, MASTER_ADDR and
MASTER_PORT set, as test/interop/ddp.test.ts does):
    torchrun --standalone --nproc_per_node=2 train_ddp.py --model model/ --data digits/train --out tuned/
Many machines (run on each, with its --node_rank):
    torchrun --nnodes=4 --nproc_per_node=8 --node_rank=0 --master_addr=10.0.0.1 --master_port=29500 \\
        train_ddp.py --model model/ --data digits/train --out tuned/ --backend nccl
"""
import argparse
import os

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

from deriva_folder import loss_function, read_data, read_model, write_model


def arguments():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True, help="the deriva model folder to start from")
    p.add_argument("--data", required=True, help="an image folder (one sub-folder per class) or a CSV file")
    p.add_argument("--out", required=True, help="the deriva model folder to write (may be --model)")
    p.add_argument("--steps", type=int, default=100, help="optimizer steps (0: write the weights back as read)")
    p.add_argument("--batch-size", type=int, default=64, help="samples per process and step")
    p.add_argument("--lr", type=float, default=1e-3, help="Adam's learning rate")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--backend", default="gloo", help="gloo (CPUs) or nccl (GPUs)")
    return p.parse_args()


def main():
    args = arguments()
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        raise SystemExit(f"{args.out} is not a folder: a deriva model is saved as a folder")  # before any work
    # torchrun sets RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT
    dist.init_process_group(args.backend)
    rank, world = dist.get_rank(), dist.get_world_size()
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}" if args.backend == "nccl" else "cpu")
    torch.manual_seed(args.seed)
    model, description = read_model(args.model)
    model.to(device)
    x, y = read_data(args.data, description)
    data = TensorDataset(x, y)
    sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True, seed=args.seed)
    loader = DataLoader(data, batch_size=args.batch_size, sampler=sampler, drop_last=True)
    ddp = DistributedDataParallel(model)
    optimizer = torch.optim.Adam(ddp.parameters(), lr=args.lr)
    loss_of = loss_function(description)
    if rank == 0:
        print(f"{world} processes, {len(data)} samples from {args.data}, {args.steps} steps of {world} × {args.batch_size}",
              flush=True)
    ddp.train()
    step, epoch = 0, 0
    while step < args.steps:
        sampler.set_epoch(epoch)
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_of(ddp(xb.to(device)), yb.to(device))
            loss.backward()  # DDP averages the gradients of all processes here
            optimizer.step()
            step += 1
            mean = loss.detach().clone()
            dist.all_reduce(mean)
            if rank == 0:
                print(f"step {step} loss {mean.item() / world:.4f}", flush=True)
            if step == args.steps:
                break
        epoch += 1
    if rank == 0:
        write_model(args.out, description, model.cpu().eval())
        print(f"saved {args.out}", flush=True)
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
