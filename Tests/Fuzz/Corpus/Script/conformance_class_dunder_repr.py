class V:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return f"V({self.x}, {self.y})"
class S(V):
    def __str__(self):
        return f"<{self.x}|{self.y}>"
v = V(1, 2)
s = S(3, 4)
print(v, s, [v, s], repr(s), str(v), f"{s} {s!r}", "%s %r" % (s, s))
print({"k": v}, (s,))
