class A:
    def m(self, x):
        return x
a = A()
print(a.m(1))
a.m()
