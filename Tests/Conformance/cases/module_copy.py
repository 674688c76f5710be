import copy
class Cfg:
    def __init__(self):
        self.layers = [64, 128]
        self.meta = {"name": "net", "tags": ["a"]}
a = Cfg()
b = copy.copy(a)
c = copy.deepcopy(a)
a.layers.append(256)
a.meta["tags"].append("b")
print(b.layers, b.meta, c.layers, c.meta, type(c).__name__, b is a, c is a)
nested = [[1, 2], {"k": (3, [4])}]
d = copy.deepcopy(nested)
d[1]["k"][1].append(5)
print(nested, d, copy.copy(nested)[0] is nested[0], copy.deepcopy(nested)[0] is nested[0])
loop = [1]
loop.append(loop)
dl = copy.deepcopy(loop)
print(dl[1] is dl, dl[1] is loop, copy.copy((1, 2)), copy.deepcopy("s"), copy.copy({1, 2}) == {1, 2})
