xs = [10, 5, 0]
for x in xs:
    print(100 % x)
