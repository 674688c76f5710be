t = (1, 2, 3)
print(t, len(t), t[0], t[-1], t + (4,), t * 2, (1,), (), tuple())
print(t.count(2), t.index(3), 2 in t, (1, 2) < (1, 3), max(t))
a, b, c = t
print(a, b, c)
x, *rest = t
print(x, rest)
*init, last = t
print(init, last)
first, *mid, end = range(6)
print(first, mid, end)
(p, q), r = (1, 2), 3
print(p, q, r)
a, b = b, a
print(a, b)
single = 5,
print(single, type(single).__name__)
print(tuple([1, 2]), tuple("ab"), hash((1, 2)) == hash((1, 2)))
nested = ((1, 2), (3, 4))
for (u, v) in nested:
    print(u + v)
