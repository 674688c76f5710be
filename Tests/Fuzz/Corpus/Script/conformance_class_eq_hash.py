class K:
    def __init__(self, v):
        self.v = v
a = K(1)
b = K(1)
print(a == b, a == a, a != b, a is a)
d = {a: "a"}
print(d[a], b in d, len({a, b, a}))
class E:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        return self.v == o.v
print(E(1) == E(1), E(1) != E(2), E(3) in [E(1), E(3)], [E(1)] == [E(1)])
