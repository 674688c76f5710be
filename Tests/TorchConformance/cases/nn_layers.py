import torch
import torch.nn as nn
print(nn.Conv2d(3, 16, 3), nn.Conv2d(3, 16, (3, 5), stride=2, padding=(1, 2), dilation=2, groups=1, bias=False))
print(nn.Conv2d(16, 16, 3, groups=16), nn.Conv1d(4, 8, 5, padding=2), nn.ConvTranspose2d(8, 4, 2, stride=2))
print(nn.BatchNorm2d(16), nn.BatchNorm1d(8, eps=1e-3, momentum=0.01))
print(nn.Linear(4, 2), nn.Linear(4, 2, bias=False))
print(nn.ReLU(), nn.ReLU(inplace=True), nn.ReLU6(), nn.LeakyReLU(), nn.LeakyReLU(0.2), nn.PReLU(), nn.ELU(), nn.SiLU(), nn.GELU())
print(nn.Hardswish(), nn.Hardsigmoid(), nn.Sigmoid(), nn.Tanh(), nn.Softmax(dim=1), nn.Identity(), nn.Flatten())
print(nn.MaxPool2d(2), nn.MaxPool2d(3, 2, 1, ceil_mode=True), nn.AvgPool2d(2), nn.AvgPool2d(3, 1, 1, count_include_pad=False))
print(nn.AdaptiveAvgPool2d(1), nn.AdaptiveAvgPool2d((2, 3)), nn.Upsample(scale_factor=2, mode="nearest"), nn.Dropout(0.3))
print(nn.Upsample(size=(4, 4), mode="bilinear", align_corners=True))
