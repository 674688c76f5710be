print(repr("abc"), repr("it's"), repr('say "hi"'), repr("both ' and \""), repr("tab\there"), repr("nl\n"))
print(repr("back\\slash"), repr("\x00\x1f\x7f"), repr("é ü 中文"), repr("\u200b"), repr(""))
print(["a", 'b"', "c'"], ("x",), {"k": "v"})
print(repr(1), repr(1.5), repr(None), repr(True), repr([1, [2, [3]]]), repr((1, 2)), repr(()))
print(repr(range(5)), repr(range(1, 10, 2)), repr({}), repr(set()), repr({1}), repr([]))
a = [1, 2]
a.append(a)
print(a)
d = {"self": None}
d["self"] = d
print(d)
print(ascii("é"), repr(slice(1, 2)), repr(...), Ellipsis)
