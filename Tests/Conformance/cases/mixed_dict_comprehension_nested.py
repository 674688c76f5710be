grid = {(r, c): r * 3 + c for r in range(3) for c in range(3)}
print(grid[(2, 1)], len(grid), sorted(grid)[:3])
inverted = {v: k for k, v in grid.items() if v % 4 == 0}
print(inverted)
matrix = [[grid[(r, c)] for c in range(3)] for r in range(3)]
print(matrix, [sum(row) for row in matrix], [sum(col) for col in zip(*matrix)])
groups = {}
for word in "apple avocado banana blueberry cherry".split():
    groups.setdefault(word[0], []).append(word)
print({k: len(v) for k, v in groups.items()}, {k: sorted(v, reverse=True)[0] for k, v in groups.items()})
