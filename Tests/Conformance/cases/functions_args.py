def f(a, b=2, *args, c=3, d, **kwargs):
    return (a, b, args, c, d, sorted(kwargs.items()))
print(f(1, d=4))
print(f(1, 5, 6, 7, d=8, e=9, c=0))
def g(*args):
    return sum(args)
print(g(), g(1), g(1, 2, 3), g(*[4, 5]), g(*range(4), 10))
def h(**kw):
    return kw
print(h(), h(a=1, b=2), h(**{"x": 1}, y=2))
def k(a, b, c):
    return a * 100 + b * 10 + c
args = [1, 2, 3]
print(k(*args), k(1, *[2, 3]), k(**{"a": 1, "b": 2, "c": 3}), k(1, c=3, b=2))
def kwonly(*, x, y=5):
    return x + y
print(kwonly(x=1), kwonly(y=1, x=1))
def defaults_eval(x=[]):
    x.append(1)
    return x
print(defaults_eval(), defaults_eval(), defaults_eval([0]))
def pos_only(a, b, /, c):
    return a + b + c
print(pos_only(1, 2, c=3))
