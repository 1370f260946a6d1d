#!/usr/bin/env python3
"""PyTorch peer for the engine benchmark: ResNet-20 (CIFAR) training step and a single 3x3 conv layer
fwd+bwd, channels_last, at a given thread count. Prints one line per measurement:
'<name> threads=T min_ms=.. median_ms=..'. Same definitions as rdnas's `bench engine`."""
import argparse, statistics, time
import torch, torch.nn as nn, torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (self.down(x) if self.down is not None else x))


class ResNet20(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False); self.bn1 = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for s, w in enumerate([16, 32, 64]):
            for b in range(3):
                layers.append(Block(cin, w, 2 if s > 0 and b == 0 else 1)); cin = w
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.layers(F.relu(self.bn1(self.conv1(x))))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def timed(fn, reps, warm=3):
    for _ in range(warm):
        fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); fn(); ts.append((time.perf_counter() - t) * 1000)
    return min(ts), statistics.median(ts)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--reps", type=int, default=20)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    x = torch.randn(64, 32, 32, 32).to(memory_format=torch.channels_last).requires_grad_()
    conv = nn.Conv2d(32, 32, 3, 1, 1, bias=False).to(memory_format=torch.channels_last)

    def conv_step():
        x.grad = None; conv.weight.grad = None
        conv(x).sum().backward()
    mn, md = timed(conv_step, a.reps)
    print(f"conv3x3_fwd_bwd threads={a.threads} min_ms={mn:.2f} median_ms={md:.2f}")

    net = ResNet20().to(memory_format=torch.channels_last)
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    xb = torch.randn(64, 3, 32, 32).to(memory_format=torch.channels_last)
    yb = torch.randint(0, 10, (64,))

    def step():
        opt.zero_grad()
        F.cross_entropy(net(xb), yb).backward()
        opt.step()
    mn, md = timed(step, a.reps)
    print(f"resnet20_step threads={a.threads} min_ms={mn:.2f} median_ms={md:.2f}")


if __name__ == "__main__":
    main()
