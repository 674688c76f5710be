def outer():
    a = 0
    def mid():
        nonlocal a
        a += 1
        def inner():
            nonlocal a
            a += 10
            return a
        return inner()
    r1 = mid()
    r2 = mid()
    return a, r1, r2
print(outer())
g = 1
def reader():
    def inner():
        return g
    return inner()
g = 2
print(reader())
def counter_factory():
    counts = {"n": 0}
    def inc():
        counts["n"] += 1
        return counts["n"]
    return inc
c = counter_factory()
c(); c()
print(c())
def make_lambdas():
    return [lambda x, n=n: x ** n for n in range(4)]
print([f(2) for f in make_lambdas()])
