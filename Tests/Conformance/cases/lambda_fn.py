sq = lambda x: x * x
add = lambda a, b=10: a + b
print(sq(5), add(1), add(1, 2), (lambda: "no args")())
pairs = [(1, "b"), (3, "a"), (2, "c")]
print(sorted(pairs, key=lambda p: p[1]))
print(list(map(lambda x: x + 1, [1, 2, 3])), list(filter(lambda x: x % 2, range(10))))
fs = [lambda x, i=i: x + i for i in range(3)]
print([f(10) for f in fs])
varargs = lambda *a, **k: (a, k)
print(varargs(1, 2, z=3))
