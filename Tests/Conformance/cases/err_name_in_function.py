def f():
    total = 0
    for i in range(3):
        totl += i
    return total
f()
