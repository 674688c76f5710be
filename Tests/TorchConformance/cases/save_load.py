import os
import torch
import torch.nn as nn
d = "."
net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU())
for i, p in enumerate(net.parameters()):
    p.data.fill_(0.5 + i)
for new in [True, False]:
    path = os.path.join(d, "sd_%s.pth" % new)
    torch.save(net.state_dict(), path, _use_new_zipfile_serialization=new)
    sd = torch.load(path)
    print(list(sd.keys()))
    print(sd["0.weight"].shape, sd["0.bias"], sd["1.num_batches_tracked"])
    fresh = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU())
    print(fresh.load_state_dict(sd))
    print(torch.equal(fresh[0].weight, net[0].weight))
ckpt = {"epoch": 3, "state_dict": net.state_dict(), "best": 0.75, "names": ["a", "b"]}
torch.save(ckpt, os.path.join(d, "ckpt.pth"))
back = torch.load(os.path.join(d, "ckpt.pth"))
print(back["epoch"], back["best"], back["names"], len(back["state_dict"]))
