class Temp:
    unit = "C"
    count = 0
    def __init__(self, c):
        self._c = c
        Temp.count += 1
    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32
    @property
    def celsius(self):
        return self._c
    @celsius.setter
    def celsius(self, v):
        if v < -273.15:
            raise ValueError("too cold")
        self._c = v
    @staticmethod
    def convert(c):
        return c * 9 / 5 + 32
    @classmethod
    def from_f(cls, f):
        return cls((f - 32) * 5 / 9)
    @classmethod
    def describe(cls):
        return cls.__name__ + " in " + cls.unit
t = Temp(100)
print(t.fahrenheit, t.celsius, Temp.convert(0), t.convert(10))
t.celsius = 20
print(t.celsius, t.fahrenheit)
u = Temp.from_f(212)
print(u.celsius, Temp.describe(), u.describe(), Temp.count)
try:
    t.celsius = -300
except ValueError as e:
    print("error:", e)
class Sub(Temp):
    unit = "K"
print(Sub.describe(), type(Sub.from_f(32)).__name__)
