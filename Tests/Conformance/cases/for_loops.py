for i in range(3):
    print(i)
for i in range(10, 0, -3):
    print(i, end=" ")
print()
for c in "abc":
    print(c, end="")
print()
for k, v in [(1, "a"), (2, "b")]:
    print(k, v)
for i, (a, b) in enumerate([(1, 2), (3, 4)]):
    print(i, a, b)
for x in []:
    print("never")
else:
    print("else runs when no break")
for x in range(5):
    if x == 3:
        break
else:
    print("not printed")
print("x is", x)
for x in range(6):
    if x % 2:
        continue
    print("even", x)
for k in {"b": 1, "a": 2}:
    print(k)
