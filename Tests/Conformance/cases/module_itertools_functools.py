import itertools
from itertools import count, islice, chain, product, permutations, combinations, accumulate, groupby
import functools
from functools import reduce, partial
print(list(islice(count(5, 2), 4)), list(islice("abcdefg", 1, 6, 2)), list(itertools.repeat("x", 3)))
print(list(chain([1, 2], "ab")), list(chain.from_iterable([[1], [2, 3]])), list(islice(itertools.cycle("ab"), 5)))
print(list(product("ab", [0, 1])), list(product([1, 2], repeat=2))[:3], len(list(permutations(range(4)))))
print(list(permutations("abc", 2)), list(combinations(range(4), 2)), list(itertools.combinations_with_replacement("ab", 2)))
print(list(accumulate([1, 2, 3, 4])), list(accumulate([1, 2, 3], lambda a, b: a * b)), list(accumulate([1, 2], initial=10)))
print([(k, list(g)) for k, g in groupby("aabbbc")], [(k, len(list(g))) for k, g in groupby([1, 3, 2, 4, 5], key=lambda x: x % 2)])
print(list(itertools.zip_longest("ab", [1, 2, 3], fillvalue="-")), list(itertools.starmap(pow, [(2, 3), (3, 2)])))
print(list(itertools.takewhile(lambda x: x < 3, [1, 2, 5, 1])), list(itertools.dropwhile(lambda x: x < 3, [1, 2, 5, 1])))
print(list(itertools.filterfalse(lambda x: x % 2, range(6))), list(itertools.compress("abcd", [1, 0, 1, 0])), list(itertools.pairwise([1, 2, 3])))
print(reduce(lambda a, b: a + b, [1, 2, 3]), reduce(lambda a, b: a * b, [], 1), functools.reduce(max, [3, 9, 2]))
add3 = partial(lambda a, b, c: a + b + c, 1, c=3)
print(add3(2), add3(b=5), partial(int, base=2)("101"))
print(sorted([3, 1, 2], key=functools.cmp_to_key(lambda a, b: b - a)))
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
fib = functools.lru_cache(maxsize=None)(fib)
print(fib(60))
try:
    reduce(lambda a, b: a, [])
except TypeError as e:
    print("TypeError", e)
