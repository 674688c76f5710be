a = {1, 2, 3, 4}
b = {3, 4, 5}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
print(sorted(a.union(b)), sorted(a.intersection(b)), sorted(a.difference(b)), sorted(a.symmetric_difference(b)))
print({1, 2} <= a, {1, 2} < a, a >= {1}, a.issubset({1, 2, 3, 4, 5}), a.issuperset({1}), a.isdisjoint({9}))
s = set()
s.add(3); s.add(1); s.add(3)
print(sorted(s), len(s), 3 in s)
s.discard(3); s.discard(42); print(sorted(s))
s.update([5, 6], {7}); print(sorted(s))
s.remove(5); print(sorted(s))
print(set([1, 1, 2]) == {1, 2}, sorted(set("hello")), len(set(range(100))))
print({1, 2, 3}, set(), {5})
c = a.copy(); c.clear(); print(c, sorted(a))
fs = {x for x in range(10) if x % 2}
print(sorted(fs))
a -= {1}
a |= {10}
print(sorted(a))
