def solve(n):
    sols = []
    def place(row, cols, d1, d2, acc):
        if row == n:
            sols.append(acc[:])
            return
        for c in range(n):
            if c in cols or row - c in d1 or row + c in d2:
                continue
            cols.add(c); d1.add(row - c); d2.add(row + c); acc.append(c)
            place(row + 1, cols, d1, d2, acc)
            cols.remove(c); d1.remove(row - c); d2.remove(row + c); acc.pop()
    place(0, set(), set(), set(), [])
    return sols
print(len(solve(6)), solve(4), len(solve(8)))
