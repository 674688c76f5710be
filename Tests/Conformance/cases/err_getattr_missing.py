class A:
    pass
print(getattr(A(), 'x', None))
getattr(A(), 'x')
