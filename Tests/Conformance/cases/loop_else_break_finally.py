def search(xs, target):
    for i, x in enumerate(xs):
        if x == target:
            break
    else:
        return -1
    return i
print(search([4, 5, 6], 5), search([], 1), search([1], 2))
n = 10
while n > 0:
    n -= 3
    if n == 4:
        break
else:
    print("no break")
print(n)
for i in range(3):
    try:
        if i == 1:
            break
    finally:
        print("finally", i)
def loop_return():
    for i in range(5):
        try:
            return i
        finally:
            print("leaving", i)
print(loop_return())
