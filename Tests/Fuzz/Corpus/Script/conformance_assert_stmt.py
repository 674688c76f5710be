assert True
assert 1 == 1, "fine"
try:
    assert 1 == 2, "math is broken"
except AssertionError as e:
    print("caught:", e)
try:
    assert []
except AssertionError as e:
    print("empty message:", repr(str(e)))
x = 5
assert x > 10, f"x too small: {x}"
