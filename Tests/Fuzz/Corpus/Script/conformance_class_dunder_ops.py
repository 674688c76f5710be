class Vec:
    def __init__(self, *c):
        self.c = list(c)
    def __repr__(self):
        return "Vec" + repr(tuple(self.c))
    def __add__(self, o):
        return Vec(*[a + b for a, b in zip(self.c, o.c)])
    def __sub__(self, o):
        return Vec(*[a - b for a, b in zip(self.c, o.c)])
    def __mul__(self, k):
        return Vec(*[a * k for a in self.c])
    def __rmul__(self, k):
        return self * k
    def __truediv__(self, k):
        return Vec(*[a / k for a in self.c])
    def __neg__(self):
        return Vec(*[-a for a in self.c])
    def __eq__(self, o):
        return isinstance(o, Vec) and self.c == o.c
    def __lt__(self, o):
        return sum(self.c) < sum(o.c)
    def __len__(self):
        return len(self.c)
    def __getitem__(self, i):
        return self.c[i]
    def __setitem__(self, i, v):
        self.c[i] = v
    def __contains__(self, x):
        return x in self.c
    def __bool__(self):
        return any(self.c)
    def __abs__(self):
        return sum(x * x for x in self.c) ** 0.5
    def __iadd__(self, o):
        self.c = [a + b for a, b in zip(self.c, o.c)]
        return self
a = Vec(1, 2)
b = Vec(3, 4)
print(a + b, a - b, a * 3, 3 * a, b / 2, -a, a == Vec(1, 2), a != b, a < b, b < a, a > b)
print(len(a), a[0], a[-1], 2 in a, 5 in a, bool(a), bool(Vec(0, 0)), abs(b))
a[0] = 10
print(a, sorted([b, a, Vec(0, 0)]))
c = a
c += b
print(c is a, a)
print(max([Vec(1), Vec(5), Vec(3)]), min(Vec(2), Vec(1)))
