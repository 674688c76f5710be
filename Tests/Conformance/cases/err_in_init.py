class Net:
    def __init__(self, layers):
        self.layers = layers
        self.first = layers[0]
n = Net([1])
print(n.first)
Net([])
