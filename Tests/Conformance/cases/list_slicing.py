xs = list(range(10))
print(xs[2:5], xs[:3], xs[7:], xs[-3:], xs[:-7], xs[::3], xs[1::2], xs[::-2], xs[8:2:-2], xs[100:], xs[-100:2])
xs[2:4] = ["a", "b", "c"]
print(xs)
xs[:0] = [-1]
print(xs)
xs[::2] = [0] * len(xs[::2])
print(xs)
ys = [1, 2, 3, 4]
ys[1:3] = []
print(ys)
s = "abcdefgh"
print(s[1:-1], s[::-1], s[3:1], s[-2:], s[::3])
t = (1, 2, 3, 4, 5)
print(t[1:3], t[::-1], t[:0])
print(range(10)[2:8:2], range(10)[-1], list(range(10)[::-3]))
sl = slice(1, 8, 3)
print(xs[sl], sl.start, sl.stop, sl.step, sl.indices(5))
