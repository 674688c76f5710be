d = {}
for k in ["zeta", "alpha", "mid"]:
    d[k] = len(k)
print(list(d))
d["alpha"] = 0
print(list(d.items()))
del d["zeta"]
d["zeta"] = 1
print(list(d))
print({i: i * i for i in range(5, 0, -1)})
