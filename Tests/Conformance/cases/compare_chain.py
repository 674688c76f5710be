x = 5
print(1 < x < 10, 1 < x > 10, 1 <= 1 <= 1, 3 > 2 > 1 > 0, 1 < 2 < 0)
print(1 == 1.0, "a" < "b", "abc" < "abd", "Z" < "a", [1, 2] < [1, 3], (1, 2) < (1, 2, 3))
print([1, 2] == [1, 2], (1,) == (1,), {"a": 1} == {"a": 1}, {1, 2} == {2, 1})
print(None is None, None is not None, [] is [], 1 != 2, "x" != "x")
print(1 in [1, 2], 3 not in [1, 2], "b" in "abc", "a" in {"a": 1}, 2 in {1, 2}, 5 in range(10))
print(not 1, not 0, not [], not [0])
def side(v):
    print("side", v)
    return v
print(side(1) < side(2) < side(0) < side(5))
