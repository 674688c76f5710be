def f(a, b, c, d=0):
    return [a, b, c, d]
print(f(*[1, 2], 3), f(1, *(2, 3, 4)), f(*"abc"), f(**{"a": 1, "b": 2, "c": 3}))
print([*range(3), *"ab", 9], (*[1], *[2, 3]), {*[1, 1], 2} == {1, 2})
print({**{"a": 1}, **{"b": 2}})
a, *b, c = "hello"
print(a, b, c)
*a, = [1, 2]
print(a)
head, *tail = [1]
print(head, tail)
for x, *ys in [(1, 2, 3), (4, 5)]:
    print(x, ys)
print(*[1, 2, 3], sep="-")
print(*"abc")
