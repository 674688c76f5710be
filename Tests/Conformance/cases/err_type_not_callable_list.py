layers = [1, 2, 3]
print(layers[0])
layers(0)
