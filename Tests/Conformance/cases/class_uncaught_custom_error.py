class ShapeError(ValueError):
    pass
def check(shape):
    if len(shape) != 4:
        raise ShapeError(f"expected 4 dims, got {len(shape)}")
    return True
print(check([1, 3, 224, 224]))
check([3, 224])
