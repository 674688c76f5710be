class Model:
    def __init__(self):
        self.weights = [1, 2]
    def forward(self, x):
        return x
m = Model()
print(m.forward(2))
m.forwad(3)
