class Point:
    """A 2-D point."""
    dims = 2
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def norm2(self):
        return self.x ** 2 + self.y ** 2
    def move(self, dx, dy=0):
        self.x += dx
        self.y += dy
        return self
p = Point(3, 4)
print(p.x, p.y, p.norm2(), Point.dims, p.dims, Point.__name__, Point.__doc__)
p.move(1).move(1, 1)
print(p.x, p.y)
p.z = 10
print(p.z, hasattr(p, "z"), hasattr(p, "w"), getattr(p, "w", "default"))
setattr(p, "w", 5)
print(p.w, sorted(vars(p).items()))
print(type(p).__name__, isinstance(p, Point), isinstance(3, Point))
Point.dims = 3
print(p.dims)
m = p.norm2
print(m())
