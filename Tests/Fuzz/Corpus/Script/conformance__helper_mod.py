"""A helper module imported by the import_* cases."""
VALUE = 42
_private = "hidden"
def double(x):
    return 2 * x
class Thing:
    def __init__(self, n):
        self.n = n
    def __repr__(self):
        return f"Thing({self.n})"
print("helper module loaded")
