class Module:
    def __init__(self):
        object.__setattr__(self, "_children", {})
        self.training = True
    def __setattr__(self, name, value):
        if isinstance(value, Module):
            self._children[name] = value
        object.__setattr__(self, name, value)
    def named_modules(self, prefix=""):
        out = [prefix or "(root)"]
        for n, m in self._children.items():
            out += m.named_modules(prefix + ("." if prefix else "") + n)
        return out
class Linear(Module):
    def __init__(self, a, b):
        super().__init__()
        self.a, self.b = a, b
class Block(Module):
    def __init__(self):
        super().__init__()
        self.fc1 = Linear(2, 3)
        self.fc2 = Linear(3, 1)
class Net(Module):
    def __init__(self):
        super(Net, self).__init__()
        self.block = Block()
        self.head = Linear(1, 1)
        self.name = "net"
n = Net()
print(n.named_modules(), n.name, n.block.fc1.b, n.training, sorted(n._children))
class Tracked:
    def __setattr__(self, k, v):
        print("set", k, v)
        super().__setattr__(k, v)
t = Tracked()
t.x = 1
t.x += 1
print(t.x)
