it = iter([1, 2])
print(next(it), next(it))
print(next(it, "default"))
next(it)
