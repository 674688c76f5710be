data = [{"name": "b", "score": 2.5}, {"name": "a", "score": 9}, {"name": "c", "score": 2.5}]
print([d["name"] for d in sorted(data, key=lambda d: d["score"])])
print([d["name"] for d in sorted(data, key=lambda d: (-d["score"], d["name"]))])
print(sorted([3, 1, 2], key=None), sorted("Hello", key=str.lower), sorted([(1, "b"), (1, "a")]))
print(max(data, key=lambda d: d["score"])["name"], min(range(10), key=lambda x: abs(x - 6.4)))
print(sorted({3: "c", 1: "a"}.items()), list(reversed(sorted([5, 2, 8]))))
