print(1 and 2, 0 and 2, 1 or 2, 0 or 2, None or "d", "" or [] or 0)
print(True and False, True or False, not True)
def t(v):
    print("eval", v)
    return v
print(t(0) and t(1))
print(t(1) or t(2))
print(t(1) and t(2) and t(3))
x = [] or None
print(x)
print(bool(0), bool(1), bool(""), bool("a"), bool([]), bool([0]), bool({}), bool(None), bool(0.0), bool(range(0)))
