x = 10
print(eval("x * 2 + 1"), eval("[i * i for i in range(4)]"), eval(" (1, 2) "), eval("'a' + 'b'"))
def f(y):
    return eval("y + x")
print(f(5))
exec("z = x + 1\nprint('exec sees', z)")
print(z)
exec("def g(n):\n    return n * 3\n")
print(g(4))
try:
    eval("1 +")
except SyntaxError:
    print("SyntaxError")
