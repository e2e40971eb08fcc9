"""ResNet-18 on CIFAR-10 with DistributedDataParallel, launched by torchrun on every node."""

import argparse
import os

import torch
import torch.distributed as dist
import torchvision
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import transforms


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--out", default=os.environ.get("DLRUN_OUTPUT_DIR", "outputs"))
    args = parser.parse_args()

    dist.init_process_group("nccl")
    local_rank = int(os.environ["LOCAL_RANK"])
    torch.cuda.set_device(local_rank)
    is_chief = dist.get_rank() == 0

    data = torchvision.datasets.CIFAR10("data", train=True, download=local_rank == 0, transform=transforms.ToTensor())
    dist.barrier()
    sampler = DistributedSampler(data)
    loader = DataLoader(data, batch_size=128, sampler=sampler, num_workers=4)
    model = DistributedDataParallel(torchvision.models.resnet18(num_classes=10).cuda(), device_ids=[local_rank])
    optimiser = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        for images, labels in loader:
            optimiser.zero_grad()
            loss = nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
            loss.backward()
            optimiser.step()
        if is_chief:
            print(f"epoch {epoch + 1}  loss {loss.item():.4f}", flush=True)

    if is_chief:
        os.makedirs(args.out, exist_ok=True)
        torch.save(model.module.state_dict(), os.path.join(args.out, "resnet18.pt"))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
