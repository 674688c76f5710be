raw = """
# training config
model = resnet18
epochs = 10
lr = 0.001
layers = 64, 128, 256
use_mlu = true
"""
cfg = {}
for line in raw.strip().splitlines():
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    key, _, value = line.partition("=")
    key, value = key.strip(), value.strip()
    if "," in value:
        cfg[key] = [int(v) for v in value.split(",")]
    elif value in ("true", "false"):
        cfg[key] = value == "true"
    else:
        try:
            cfg[key] = int(value)
        except ValueError:
            try:
                cfg[key] = float(value)
            except ValueError:
                cfg[key] = value
for k in sorted(cfg):
    print(f"{k:>8} = {cfg[k]!r} ({type(cfg[k]).__name__})")
