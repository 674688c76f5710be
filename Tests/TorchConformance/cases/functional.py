import torch
import torch.nn.functional as F
x = torch.arange(16).float().view(1, 1, 4, 4) / 8.0
print(F.interpolate(x, scale_factor=2, mode="nearest")[0, 0, :2])
print(F.interpolate(x, size=(3, 3), mode="bilinear", align_corners=False))
print(F.interpolate(x, size=(3, 3), mode="bilinear", align_corners=True))
print(F.max_pool2d(x, 2), F.avg_pool2d(x, 2, stride=1).shape, F.adaptive_avg_pool2d(x, 1))
print(F.relu(x - 1).sum(), F.relu6(x * 10).max(), F.sigmoid(x).min() if hasattr(F, "sigmoid") else torch.sigmoid(x).min())
print(F.softmax(torch.tensor([[1.0, 2.0, 3.0]]), dim=1))
print(F.pad(x, (1, 1, 0, 0)).shape, F.pad(x, (1, 2, 3, 4), value=1.0).sum())
w = torch.ones(2, 1, 3, 3)
print(F.conv2d(x, w, padding=1)[0, 1])
print(F.linear(torch.ones(2, 3), torch.ones(4, 3)), F.hardswish(torch.tensor([-4.0, -1.0, 0.0, 1.0, 4.0])))
print(F.leaky_relu(torch.tensor([-1.0, 1.0]), 0.2), F.silu(torch.tensor([1.0])), F.gelu(torch.tensor([1.0])))
