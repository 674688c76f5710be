def make_accumulator():
    total = []
    def add(x):
        total.append(x)
        return sum(total)
    def reset():
        total.clear()
    return add, reset
add, reset = make_accumulator()
print(add(1), add(2), add(3))
reset()
print(add(10))
def compose(*fs):
    def run(x):
        for f in reversed(fs):
            x = f(x)
        return x
    return run
inc = lambda x: x + 1
dbl = lambda x: x * 2
print(compose(inc, dbl)(5), compose(dbl, inc)(5), compose()(7))
def memoize(f):
    cache = {}
    def wrapped(n):
        if n not in cache:
            cache[n] = f(n)
        return cache[n]
    return wrapped
slow_calls = []
def square(n):
    slow_calls.append(n)
    return n * n
fast = memoize(square)
print([fast(i % 3) for i in range(6)], slow_calls)
