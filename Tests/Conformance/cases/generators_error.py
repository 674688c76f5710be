def parse(items):
    for s in items:
        yield int(s)
total = 0
for v in parse(["1", "2", "x"]):
    total += v
    print(total)
