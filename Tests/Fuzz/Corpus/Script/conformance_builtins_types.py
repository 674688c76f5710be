print(type(1), type(1.0), type("s"), type([]), type(()), type({}), type(set()), type(None), type(True), type(range(1)))
print(type(len), type(type), type(lambda: 0).__name__)
class C: pass
print(type(C()).__name__, type(C).__name__, C)
print(isinstance(True, int), isinstance(1, bool), isinstance(1, (str, int)), isinstance("s", str), isinstance([], (tuple, dict)))
print(issubclass(bool, int), issubclass(int, object), isinstance(C(), object))
print(int, str, float, list, dict, tuple, set, bool, object)
print(type(3) is int, type("a") == str, type(3) in (int, float))
print(int.__name__, str.upper("abc"), list.__name__)
