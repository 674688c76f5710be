a = [1, 2]
b = a
c = list(a)
print(a is b, a is c, a == c)
b.append(3)
print(a, c)
def mutate(xs):
    xs.append("m")
    xs = ["new"]
    return xs
orig = []
print(mutate(orig), orig)
d1 = {"k": [1]}
d2 = d1.copy()
d2["k"].append(2)
print(d1)
x = None
print(x is None, x == None, type(x) is type(None))
t = (1, [2])
t[1].append(3)
print(t)
