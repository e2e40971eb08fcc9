"""Train a tiny neural network on the "two moons" data set, with nothing but Python's standard library.

The data set is generated from a fixed seed, so every run sees the same points and prints the same losses.
The network (2 inputs, one hidden layer of tanh units, 1 sigmoid output) learns by plain gradient descent.
The trained weights go to $DLRUN_OUTPUT_DIR/model.json, which `dlrun pull JOB_ID` brings home.
"""

import argparse
import json
import math
import os
import random
import time


def two_moons(count, noise, rng):
    """Points on two interleaved half circles; label 0 for the upper moon, 1 for the lower one."""
    points = []
    for index in range(count):
        label = index % 2
        angle = rng.uniform(0.0, math.pi)
        if label == 0:
            x, y = math.cos(angle), math.sin(angle)
        else:
            x, y = 1.0 - math.cos(angle), 0.5 - math.sin(angle)
        points.append((x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise), label))
    return points


class TinyNetwork:
    def __init__(self, hidden, rng):
        scale = 1.0 / math.sqrt(2)
        self.w1 = [[rng.gauss(0.0, scale) for _ in range(2)] for _ in range(hidden)]
        self.b1 = [0.0] * hidden
        self.w2 = [rng.gauss(0.0, 1.0 / math.sqrt(hidden)) for _ in range(hidden)]
        self.b2 = 0.0

    def forward(self, x, y):
        hidden = [math.tanh(w[0] * x + w[1] * y + b) for w, b in zip(self.w1, self.b1)]
        logit = sum(w * h for w, h in zip(self.w2, hidden)) + self.b2
        return hidden, 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, logit))))

    def train_epoch(self, points, learning_rate):
        """One pass of per-example gradient descent; returns the mean cross-entropy loss."""
        total = 0.0
        for x, y, label in points:
            hidden, output = self.forward(x, y)
            total -= math.log(max(output if label else 1.0 - output, 1e-12))
            error = output - label  # d(loss)/d(logit) for sigmoid + cross-entropy
            for unit, h in enumerate(hidden):
                grad_hidden = error * self.w2[unit] * (1.0 - h * h)
                self.w2[unit] -= learning_rate * error * h
                self.w1[unit][0] -= learning_rate * grad_hidden * x
                self.w1[unit][1] -= learning_rate * grad_hidden * y
                self.b1[unit] -= learning_rate * grad_hidden
            self.b2 -= learning_rate * error
        return total / len(points)

    def accuracy(self, points):
        return sum((self.forward(x, y)[1] >= 0.5) == bool(label) for x, y, label in points) / len(points)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=int(os.environ.get("EPOCHS", "30")))
    parser.add_argument("--hidden", type=int, default=16)
    parser.add_argument("--learning-rate", type=float, default=0.02)
    parser.add_argument("--out", default=os.environ.get("DLRUN_OUTPUT_DIR", "outputs"))
    args = parser.parse_args()

    rng = random.Random(42)
    points = two_moons(4000, 0.2, rng)
    train, test = points[:3200], points[3200:]
    network = TinyNetwork(args.hidden, rng)
    print(f"training a 2-{args.hidden}-1 network on {len(train)} points for {args.epochs} epochs", flush=True)
    started = time.monotonic()
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(train)
        loss = network.train_epoch(train, args.learning_rate)
        print(f"epoch {epoch:3d}  loss {loss:.4f}  train accuracy {network.accuracy(train):.3f}", flush=True)
    test_accuracy = network.accuracy(test)
    print(f"test accuracy {test_accuracy:.3f} after {time.monotonic() - started:.1f}s", flush=True)

    os.makedirs(args.out, exist_ok=True)
    model_path = os.path.join(args.out, "model.json")
    with open(model_path, "w", encoding="utf-8") as model_file:
        json.dump({"w1": network.w1, "b1": network.b1, "w2": network.w2, "b2": network.b2,
                   "test_accuracy": test_accuracy, "epochs": args.epochs}, model_file)
    print(f"model written to {model_path}", flush=True)


if __name__ == "__main__":
    main()
