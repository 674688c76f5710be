xs = [1, 2]
xs[0] = 5
print(xs)
xs[5] = 1
