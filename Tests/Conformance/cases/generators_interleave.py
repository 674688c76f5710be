def reader(lines):
    for i, line in enumerate(lines):
        print("read", i)
        yield line.strip()
    print("reader done")
def upper(it):
    for s in it:
        yield s.upper()
for s in upper(reader(["a\n", "b\n"])):
    print("use", s)
def stateful():
    total = 0
    while True:
        x = yield total
        if x is None:
            x = 1
        total += x
g = stateful()
print(next(g), next(g), g.send(None), next(g))
def take(n, it):
    out = []
    for x in it:
        if len(out) >= n:
            break
        out.append(x)
    return out
def squares():
    k = 0
    while True:
        yield k * k
        k += 1
print(take(5, squares()), take(0, squares()))
it = iter(squares())
print(next(it), next(it), next(it))
def gen_with_return():
    yield 1
    return "ignored"
    yield 2
print(list(gen_with_return()))
def empty():
    return
    yield
print(list(empty()), list(x for x in empty()))
class Tree:
    def __init__(self, v, kids=()):
        self.v, self.kids = v, list(kids)
    def __iter__(self):
        yield self.v
        for k in self.kids:
            yield from k
t = Tree(1, [Tree(2, [Tree(3)]), Tree(4)])
print(list(t), [v * 10 for v in t], 3 in t)
