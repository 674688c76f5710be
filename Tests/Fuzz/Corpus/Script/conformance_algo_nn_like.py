class Layer:
    def __init__(self, name):
        self.name = name
        self.params = {}
    def __call__(self, x):
        return self.forward(x)
    def forward(self, x):
        raise NotImplementedError(type(self).__name__ + ".forward")
class Scale(Layer):
    def __init__(self, k):
        super().__init__("scale")
        self.params["k"] = k
    def forward(self, x):
        return [v * self.params["k"] for v in x]
class ReLU(Layer):
    def __init__(self):
        super().__init__("relu")
    def forward(self, x):
        return [max(0, v) for v in x]
class Sequential(Layer):
    def __init__(self, *layers):
        super().__init__("seq")
        self.layers = list(layers)
    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
    def __len__(self):
        return len(self.layers)
    def __getitem__(self, i):
        return self.layers[i]
net = Sequential(Scale(2), ReLU(), Scale(0.5))
print(net([-1, 0, 1.5, 3]), len(net), net[1].name, [l.name for l in net.layers])
state = {f"{i}.{k}": v for i, l in enumerate(net.layers) for k, v in l.params.items()}
print(state)
try:
    Layer("abstract")([1])
except NotImplementedError as e:
    print("NotImplementedError:", e)
