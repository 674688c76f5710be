a = b = c = []
a.append(1)
print(a, b, c, a is c)
x, y = y, x = 1, 2
print(x, y)
i = 0
xs = [10, 20, 30]
i, xs[i] = 1, 99
print(i, xs)
class O: pass
o = O()
o.v = o.w = 5
o.v += 1
print(o.v, o.w)
d = {"k": [1]}
d["k"] += [2]
d["k"][0] *= 10
print(d)
m = [[0] * 2 for _ in range(2)]
m[1][0] = 5
print(m)
n: int = 5
total: float
print(n)
t = [1, 2, 3]
t[0], t[2] = t[2], t[0]
print(t)
s = "ab"
s *= 2
print(s)
