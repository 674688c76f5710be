import torch
import torch.nn as nn
conv = nn.Conv2d(16, 8, 3)
try:
    conv(torch.zeros(1, 3, 8, 8))
except RuntimeError as e:
    print("RuntimeError")
try:
    torch.zeros(2, 3) + torch.zeros(4)
except RuntimeError as e:
    print("RuntimeError")
try:
    torch.zeros(2, 3).view(4, 2)
except RuntimeError as e:
    print("RuntimeError")
net = nn.Linear(4, 2)
r = net.load_state_dict({"weight": torch.zeros(2, 4)}, strict=False)
print(r.missing_keys, r.unexpected_keys)
try:
    net.load_state_dict({"weight": torch.zeros(3, 4), "bias": torch.zeros(2), "extra": torch.zeros(1)})
except RuntimeError as e:
    print("RuntimeError")
x = torch.zeros(2, 2)
print(x[1, 1].item(), float(x.sum()), int(torch.tensor(7)))
torch.zeros(3)[5]
