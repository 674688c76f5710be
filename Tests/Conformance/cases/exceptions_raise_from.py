class LoadError(Exception):
    pass
def load(path):
    try:
        return {"a": 1}[path]
    except KeyError as e:
        raise LoadError("cannot load " + path) from e
try:
    load("b")
except LoadError as e:
    print(e, type(e.__cause__).__name__, e.__cause__)
try:
    raise RuntimeError("x") from None
except RuntimeError as e:
    print(e, e.__cause__)
e = ValueError("a", 1)
print(e.args, str(e))
