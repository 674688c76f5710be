class Lazy:
    def __init__(self):
        self.real = 1
    def __getattr__(self, name):
        return "computed:" + name
l = Lazy()
print(l.real, l.missing, getattr(l, "other"))
class Point:
    def __init__(self, x):
        self.x = x
p = Point(1)
del p.x
print(hasattr(p, "x"))
p.y = 2
print(p.__dict__, p.__class__.__name__)
