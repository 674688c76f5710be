import torch
x = torch.arange(60).view(3, 4, 5)
print(x[-1, -2], x[1, :, 2:4], x[:, ::2, ::3])
print(x[..., 0], x[0, ...], x[:, None, 1].shape)
print(x[torch.tensor([2, 0])].shape, x[[0, 2]].shape)
m = x > 50
print(x[m], m.sum())
y = torch.zeros(3, 4)
y[1, :] = 5
y[:, 2] = torch.arange(3).float()
y[0] += 1
print(y)
z = torch.arange(10)
print(z[2:8:3], z[-3:], z[:0], len(z), z[7].item())
for row in torch.arange(6).view(3, 2):
    print(row.tolist())
