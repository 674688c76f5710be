class Counter:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        self.i = 0
        return self
    def __next__(self):
        if self.i >= self.n:
            raise StopIteration
        self.i += 1
        return self.i
class Mul:
    def __init__(self, k):
        self.k = k
    def __call__(self, x, y=1):
        return x * self.k * y
print(list(Counter(3)), [x * 2 for x in Counter(4)], sum(Counter(10)))
m = Mul(3)
print(m(2), m(2, y=5), callable(m), callable(3))
it = iter(Counter(2))
print(next(it), next(it), next(it, "end"))
class Seq:
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError
        return i * i
print(list(Seq()), 4 in Seq())
