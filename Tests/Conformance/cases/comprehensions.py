print([x * x for x in range(6)])
print([x for x in range(20) if x % 3 == 0 if x % 2 == 0])
print([(x, y) for x in range(3) for y in range(x)])
print({x: x * x for x in range(4)})
print({k: v for k, v in zip("abc", [1, 2, 3]) if v != 2})
print(sorted({x % 3 for x in range(10)}))
print(sum(x for x in range(101)), max(len(w) for w in ["a", "abc", "ab"]))
print(list(x + 1 for x in [1, 2]), tuple(c.upper() for c in "hi"))
matrix = [[1, 2, 3], [4, 5, 6]]
print([[row[i] for row in matrix] for i in range(3)])
print([y for row in matrix for y in row])
x = "outer"
_ = [x for x in range(3)]
print(x)
print([i for i in range(3) if i in {1, 2}], [a * b for a, b in [(1, 2), (3, 4)]])
print({(i, j) for i in range(2) for j in range(2)} == {(0, 0), (0, 1), (1, 0), (1, 1)})
print(any(x > 4 for x in range(6)), all(x < 4 for x in range(6)))
