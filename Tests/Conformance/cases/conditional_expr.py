for i in range(4):
    print("even" if i % 2 == 0 else "odd", i if i > 1 else -i)
x = 1 if False else 2 if False else 3
print(x)
print([a if a > 2 else 0 for a in range(5)])
