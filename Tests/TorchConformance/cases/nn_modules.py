import torch
import torch.nn as nn


class Block(nn.Sequential):
    def __init__(self, cin, cout, stride=1):
        super().__init__(
            nn.Conv2d(cin, cout, 3, stride, 1, bias=False),
            nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True),
        )


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(Block(3, 8, 2), Block(8, 8))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 10)
        self.drop = nn.Dropout(0.2)
        self.acts = nn.ModuleList([nn.ReLU6(), nn.Hardswish(), nn.LeakyReLU(0.1)])

    def forward(self, x):
        x = self.pool(self.stem(x)).flatten(1)
        return self.fc(self.drop(x))


net = Net()
print(net)
print(list(net.state_dict().keys()))
print([p.shape for p in net.parameters()])
print([name for name, _ in net.named_modules()])
print([name for name, _ in net.named_children()])
print(len(net.stem), net.stem[0][0].weight.shape, net.fc.in_features, net.fc.out_features)
print(net.training, net.eval().training, net.stem[0][1].training)
print(isinstance(net, nn.Module), isinstance(net.stem, nn.Sequential), isinstance(net.fc, nn.Conv2d))
net.register_buffer("counter", torch.zeros(2))
print("counter" in net.state_dict(), net.counter)
y = net(torch.zeros(2, 3, 16, 16))
print(y.shape)
