class Net:
    def forward(x):
        return x
n = Net()
n.forward(1)
