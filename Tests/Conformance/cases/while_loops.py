n = 0
while n < 5:
    n += 1
    if n == 2:
        continue
    print(n)
else:
    print("done", n)
i = 0
while True:
    i += 1
    if i > 3:
        break
print(i)
a, b = 0, 1
fib = []
while a < 100:
    fib.append(a)
    a, b = b, a + b
print(fib)
