def add(a, b):
    return a + b
def greet(name, greeting="Hello"):
    return greeting + ", " + name
def nothing():
    pass
print(add(2, 3), add("a", "b"), greet("Ann"), greet("Bob", "Hi"), greet(greeting="Yo", name="Cy"), nothing())
def multi():
    return 1, 2, 3
a, b, c = multi()
print(a, b, c, multi())
def fact(n):
    """Factorial."""
    if n <= 1:
        return 1
    return n * fact(n - 1)
print(fact(10), fact.__name__, fact.__doc__)
def early(x):
    for i in range(10):
        if i == x:
            return i * 2
    return -1
print(early(3), early(20))
