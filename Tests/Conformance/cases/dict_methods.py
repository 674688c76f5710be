d = {"b": 2, "a": 1}
d["c"] = 3
print(d, len(d), d["a"], d.get("z"), d.get("z", 0), "a" in d, "z" not in d)
print(list(d.keys()), list(d.values()), list(d.items()))
print(d.keys(), d.values(), d.items())
print(d.pop("b"), d.pop("zz", "none"), d)
print(d.setdefault("a", 100), d.setdefault("n", []), d)
d.update({"x": 9}, y=10)
d.update([("w", 0)])
print(d)
print(d.popitem(), d)
e = d.copy()
e["new"] = 1
print(len(d), len(e))
print(dict(a=1, b=2), dict([("k", "v")]), dict({"m": 1}, n=2), dict.fromkeys(["p", "q"], 0))
for k, v in sorted({"z": 1, "y": 2}.items()):
    print(k, v)
counts = {}
for w in "the cat and the hat and the bat".split():
    counts[w] = counts.get(w, 0) + 1
print(counts)
print(sorted(counts, key=counts.get, reverse=True)[:2])
nested = {"outer": {"inner": [1, 2, {"deep": True}]}}
print(nested["outer"]["inner"][2]["deep"])
print({1: "int", 1.0: "float", True: "bool"})
print({**{"a": 1}, "b": 2, **{"a": 3}}, {"a": 1} | {"b": 2})
d.clear()
print(d, {(1, 2): "tuple key"}[(1, 2)])
