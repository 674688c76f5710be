total = 1 + \
        2 + \
        3
print(total)
if (total > 5 and
        total < 10):
    print("in range")
values = {
    "a": [1, 2,
          3, 4],
    "b": (
        "x"
        "y"
    ),
}
print(values)
def long_signature(alpha,
                   beta=2,
                   *rest,
                   gamma=3,
                   **options):
    return alpha + beta + gamma + len(rest) + len(options)
print(long_signature(1,
                     2, 3, 4,
                     gamma=10,
                     delta=1))
result = [
    x * y
    for x in range(3)
    if x
    for y in range(3)
]
print(result)
s = ("implicit "
     "concatenation "  # with a comment
     "works")
print(s)
class A: pass; x = 1
print(A.x); y = 2; print(y)
for i in range(2): print("one-line loop", i)
while False: pass
