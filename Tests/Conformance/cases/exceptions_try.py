def risky(x):
    if x == 0:
        raise ValueError("zero")
    if x == 1:
        raise TypeError("one")
    if x == 2:
        return {}["missing"]
    return x
for i in range(4):
    try:
        r = risky(i)
    except ValueError as e:
        print("value", e)
    except (TypeError, KeyError) as e:
        print("type-or-key", type(e).__name__, e)
    else:
        print("ok", r)
    finally:
        print("finally", i)
try:
    [][1]
except Exception as e:
    print(type(e).__name__, e)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        print("inner")
        raise
except ArithmeticError as e:
    print("outer", type(e).__name__, e)
try:
    int("x")
except:
    print("bare except")
def f():
    try:
        return "try"
    finally:
        print("finally before return")
print(f())
def g():
    try:
        raise ValueError("lost")
    finally:
        return "finally wins"
print(g())
for i in range(3):
    try:
        if i == 1:
            continue
        print("body", i)
    finally:
        print("cleanup", i)
