people = [("ann", 30), ("bob", 25), ("cid", 30), ("dee", 25), ("eve", 35)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: p[1], reverse=True))
print(sorted(people, key=lambda p: (-p[1], p[0])))
by_age = {}
for name, age in people:
    by_age.setdefault(age, []).append(name)
print(by_age, sorted(by_age.items(), key=lambda kv: len(kv[1]), reverse=True))
words = ["b", "B", "a", "A", "c"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=lambda s: (s.lower(), s)))
print(sorted([3.5, 1, -2, 2.0, 2]), sorted([[2, 1], [1, 2], [1]]), sorted("hello world".split(), key=len))
