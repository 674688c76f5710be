x = "global x"
class C:
    x = "class x"
    y = x + "!"
    def method(self):
        return x
    z = [x for _ in range(1)]
print(C.y, C().method(), C.x)
def f():
    v = "local"
    class Inner:
        w = v
    return Inner.w
print(f())
counter = 0
class K:
    def __init__(self):
        global counter
        counter += 1
K(); K()
print(counter)
