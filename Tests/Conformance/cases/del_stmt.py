x = 1
del x
try:
    print(x)
except NameError as e:
    print("NameError", e)
xs = [0, 1, 2, 3, 4, 5]
del xs[0]
del xs[-1]
print(xs)
del xs[1:3]
print(xs)
d = {"a": 1, "b": 2}
del d["a"]
print(d)
a, b = 1, 2
del a, b
print("a" in dir(), "b" in dir())
ys = list(range(10))
del ys[::2]
print(ys)
