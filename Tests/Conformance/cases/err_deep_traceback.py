class Loader:
    def __init__(self, paths):
        self.paths = paths
    def load_all(self):
        return [self.load(p) for p in self.paths]
    def load(self, p):
        return self.parse(p.split(":"))
    def parse(self, parts):
        key, value = parts
        return {key: int(value)}
ok = Loader(["a:1", "b:2"]).load_all()
print(ok)
Loader(["c:3", "broken"]).load_all()
