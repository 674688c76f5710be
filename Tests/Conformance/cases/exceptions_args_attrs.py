try:
    raise ValueError("bad value", 42)
except ValueError as e:
    print(e.args, e.args[1], len(e.args), str(e))
try:
    {}["missing"]
except KeyError as e:
    print(repr(e), str(e), e.args)
try:
    [].pop()
except IndexError as e:
    print(e)
try:
    int("x")
except ValueError as e:
    print(e)
try:
    None.foo
except AttributeError as e:
    print(e)
try:
    "a" + 1
except TypeError as e:
    print(e)
try:
    1 / 0
except ZeroDivisionError as e:
    print(e)
try:
    undefined_thing
except NameError as e:
    print(e)
try:
    len(5)
except TypeError as e:
    print(e)
try:
    [1, 2].index(3)
except ValueError as e:
    print(e)
try:
    (1, 2)[5]
except IndexError as e:
    print(e)
try:
    "abc".index("z")
except ValueError as e:
    print(e)
try:
    import nonexistent_mod_xyz
except ModuleNotFoundError as e:
    print(e)
try:
    float("nan?")
except ValueError as e:
    print(e)
def f(a, b):
    pass
for call in [lambda: f(1), lambda: f(1, 2, 3), lambda: f(1, c=2), lambda: f(1, 2, a=3)]:
    try:
        call()
    except TypeError as e:
        print(e)
