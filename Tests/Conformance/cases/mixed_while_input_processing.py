data = "3\n10 20 30\n2\n5 5\n0\n"
lines = data.splitlines()
pos = 0
results = []
while pos < len(lines):
    n = int(lines[pos]); pos += 1
    if n == 0:
        break
    nums = [int(x) for x in lines[pos].split()]; pos += 1
    assert len(nums) == n, "count mismatch"
    results.append((n, sum(nums), sum(nums) / n))
for n, s, mean in results:
    print(f"n={n} sum={s} mean={mean:.3f}")
