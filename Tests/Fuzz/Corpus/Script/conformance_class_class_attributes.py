class Config:
    defaults = {"lr": 0.1}
    registry = []
    def __init__(self, **overrides):
        self.values = dict(Config.defaults)
        self.values.update(overrides)
        Config.registry.append(self)
    def __getitem__(self, k):
        return self.values[k]
    def __len__(self):
        return len(self.values)
    def __repr__(self):
        return "Config(" + ", ".join(f"{k}={v!r}" for k, v in sorted(self.values.items())) + ")"
a = Config()
b = Config(lr=0.01, momentum=0.9)
print(a, b, a["lr"], b["momentum"], len(b), len(Config.registry))
Config.defaults["wd"] = 0
print(Config(), a)
class Child(Config):
    defaults = {"lr": 1.0}
print(Child(), len(Child.registry), Child.registry is Config.registry)
