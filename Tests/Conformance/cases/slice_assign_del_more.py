xs = list(range(10))
xs[1:9:3] = ["a", "b", "c"]
print(xs)
xs[-3:] = []
print(xs)
xs[len(xs):] = [100, 200]
print(xs)
del xs[::3]
print(xs)
ys = [0] * 5
ys[1:4] = range(3)
print(ys)
s = "0123456789"
print(s[-100:100], s[5:-100:-1], s[::-3], s[100:-100:-1])
