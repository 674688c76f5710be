def count(n):
    i = 0
    while True:
        if i >= n:
            return
        print("producing", i)
        yield i
        i += 1
for x in count(3):
    print("got", x)
def naturals():
    n = 0
    while True:
        yield n
        n += 1
g = naturals()
print(next(g), next(g), next(g))
def pairs(xs):
    for a in xs:
        for b in xs:
            if a < b:
                yield a, b
print(list(pairs([1, 2, 3])))
def chain(*its):
    for it in its:
        yield from it
print(list(chain([1, 2], "ab", range(2))))
def with_finally():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")
for v in with_finally():
    print(v)
    break
print("after break")
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(10)])
def raiser():
    yield 1
    raise ValueError("inside generator")
try:
    for v in raiser():
        print("v", v)
except ValueError as e:
    print("caught", e)
def tree(n):
    if n == 0:
        yield "leaf"
        return
    yield from tree(n - 1)
    yield f"node{n}"
print(list(tree(3)))
gen = (x * 2 for x in range(3))
print(sum(gen), sum(x for x in naturals() if x < 0) if False else "skip")
print(type(count(1)).__name__, sorted(count(2)), max(count(4)), dict(enumerate(count(2))))
