xs = [1]
print(xs)
ys = xs + 1
