class Plain:
    pass
class OnlyRepr:
    def __repr__(self):
        return "R"
class OnlyStr:
    def __str__(self):
        return "S"
p = Plain()
print(str(OnlyRepr()), repr(OnlyRepr()), str(OnlyStr()), [OnlyStr()][0].__str__(), f"{OnlyRepr()}", "%s" % OnlyStr())
print(str(p).startswith("<__main__.Plain object at 0x"), repr(Plain).startswith("<class"))
print([OnlyRepr(), OnlyRepr()], {"k": OnlyRepr()}, (OnlyRepr(),))
class E(Exception):
    pass
print(str(E("msg")), repr(E("msg")), str(E()), repr(E(1, 2)), str(E(1, 2)))
