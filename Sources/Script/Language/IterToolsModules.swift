/// `itertools` and `functools`, written in mlus itself (generator-based, lazy like CPython's).
let itertoolsSource = #"""
"""itertools for mlus (generator-based)."""


def count(start=0, step=1):
    n = start
    while True:
        yield n
        n += step


def repeat(obj, times=None):
    if times is None:
        while True:
            yield obj
    else:
        for _ in range(times):
            yield obj


def cycle(iterable):
    saved = []
    for x in iterable:
        yield x
        saved.append(x)
    while saved:
        for x in saved:
            yield x


def chain(*iterables):
    for it in iterables:
        yield from it


def _from_iterable(iterables):
    for it in iterables:
        yield from it


chain.from_iterable = _from_iterable


def islice(iterable, *args):
    s = slice(*args)
    start = s.start or 0
    stop = s.stop
    step = s.step or 1
    if start < 0 or (stop is not None and stop < 0) or step <= 0:
        raise ValueError("Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
    nxt = start
    for i, x in enumerate(iterable):
        if stop is not None and i >= stop:
            return
        if i == nxt:
            yield x
            nxt += step


def zip_longest(*iterables, fillvalue=None):
    iters = [iter(it) for it in iterables]
    if not iters:
        return
    sentinel = object()
    while True:
        row = []
        done = 0
        for it in iters:
            v = next(it, sentinel)
            if v is sentinel:
                done += 1
                v = fillvalue
            row.append(v)
        if done == len(iters):
            return
        yield tuple(row)


def product(*iterables, repeat=1):
    pools = [tuple(p) for p in iterables] * repeat
    result = [[]]
    for pool in pools:
        result = [x + [y] for x in result for y in pool]
    for prod in result:
        yield tuple(prod)


def permutations(iterable, r=None):
    pool = tuple(iterable)
    n = len(pool)
    r = n if r is None else r
    if r > n:
        return
    def rec(prefix, remaining):
        if len(prefix) == r:
            yield tuple(pool[i] for i in prefix)
            return
        for k in range(len(remaining)):
            yield from rec(prefix + [remaining[k]], remaining[:k] + remaining[k + 1:])
    yield from rec([], list(range(n)))


def combinations(iterable, r):
    pool = tuple(iterable)
    n = len(pool)
    def rec(start, prefix):
        if len(prefix) == r:
            yield tuple(pool[i] for i in prefix)
            return
        for i in range(start, n):
            yield from rec(i + 1, prefix + [i])
    if r <= n:
        yield from rec(0, [])


def combinations_with_replacement(iterable, r):
    pool = tuple(iterable)
    n = len(pool)
    def rec(start, prefix):
        if len(prefix) == r:
            yield tuple(pool[i] for i in prefix)
            return
        for i in range(start, n):
            yield from rec(i, prefix + [i])
    if n or not r:
        yield from rec(0, [])


def accumulate(iterable, func=None, initial=None):
    it = iter(iterable)
    total = initial
    if initial is None:
        sentinel = object()
        total = next(it, sentinel)
        if total is sentinel:
            return
    yield total
    for x in it:
        total = total + x if func is None else func(total, x)
        yield total


def groupby(iterable, key=None):
    sentinel = object()
    current_key = sentinel
    group = []
    for x in iterable:
        k = x if key is None else key(x)
        if current_key is not sentinel and k != current_key:
            yield current_key, iter(group)
            group = []
        current_key = k
        group.append(x)
    if current_key is not sentinel:
        yield current_key, iter(group)


def starmap(func, iterable):
    for args in iterable:
        yield func(*args)


def takewhile(pred, iterable):
    for x in iterable:
        if not pred(x):
            return
        yield x


def dropwhile(pred, iterable):
    dropping = True
    for x in iterable:
        if dropping and pred(x):
            continue
        dropping = False
        yield x


def filterfalse(pred, iterable):
    for x in iterable:
        if not (bool(x) if pred is None else pred(x)):
            yield x


def compress(data, selectors):
    for d, s in zip(data, selectors):
        if s:
            yield d


def pairwise(iterable):
    it = iter(iterable)
    sentinel = object()
    prev = next(it, sentinel)
    if prev is sentinel:
        return
    for x in it:
        yield prev, x
        prev = x
"""#

let functoolsSource = #"""
"""functools for mlus."""


def reduce(function, iterable, *initial):
    it = iter(iterable)
    if initial:
        value = initial[0]
    else:
        sentinel = object()
        value = next(it, sentinel)
        if value is sentinel:
            raise TypeError("reduce() of empty iterable with no initial value")
    for x in it:
        value = function(value, x)
    return value


class partial:
    def __init__(self, func, *args, **keywords):
        if not callable(func):
            raise TypeError("the first argument must be callable")
        self.func = func
        self.args = args
        self.keywords = keywords

    def __call__(self, *args, **keywords):
        merged = dict(self.keywords)
        merged.update(keywords)
        return self.func(*self.args, *args, **merged)

    def __repr__(self):
        parts = [repr(self.func)] + [repr(a) for a in self.args] + [k + "=" + repr(v) for k, v in self.keywords.items()]
        return "functools.partial(" + ", ".join(parts) + ")"


def cmp_to_key(mycmp):
    class K:
        def __init__(self, obj):
            self.obj = obj
        def __lt__(self, other):
            return mycmp(self.obj, other.obj) < 0
        def __gt__(self, other):
            return mycmp(self.obj, other.obj) > 0
        def __eq__(self, other):
            return mycmp(self.obj, other.obj) == 0
        def __le__(self, other):
            return mycmp(self.obj, other.obj) <= 0
        def __ge__(self, other):
            return mycmp(self.obj, other.obj) >= 0
    return K


def lru_cache(maxsize=128):
    def decorate(f):
        cache = {}
        def wrapper(*args):
            if args not in cache:
                cache[args] = f(*args)
            return cache[args]
        wrapper.cache_clear = cache.clear
        return wrapper
    if callable(maxsize):
        return decorate(maxsize)
    return decorate


def cache(f):
    return lru_cache(None)(f)
"""#
