class Shape:
    count = 0
    def __init__(self, name):
        self.name = name
        Shape.count += 1
    def area(self):
        raise NotImplementedError
    def __repr__(self):
        return f"{type(self).__name__}({self.name!r}, area={self.area():.2f})"
    def __lt__(self, other):
        return self.area() < other.area()
class Rect(Shape):
    def __init__(self, w, h):
        super().__init__("rect")
        self.w, self.h = w, h
    def area(self):
        return self.w * self.h
class Square(Rect):
    def __init__(self, s):
        super().__init__(s, s)
        self.name = "square"
class Circle(Shape):
    def __init__(self, r):
        super().__init__("circle")
        self.r = r
    def area(self):
        return 3.14159 * self.r ** 2
shapes = [Rect(2, 3), Square(2), Circle(1), Square(1)]
print(sorted(shapes))
print(max(shapes), min(shapes), Shape.count, [type(s).__name__ for s in shapes])
print([s.name for s in shapes if isinstance(s, Rect)], Square.__mro__[1].__name__)
print(Square(3).area(), Rect.area(Square(4)), getattr(Circle(2), "r"))
try:
    Shape("abstract").area()
except NotImplementedError as e:
    print("NotImplementedError", repr(e))
