xs = [3, 1, 4, 1, 5]
xs.append(9); print(xs)
xs.extend([2, 6]); print(xs)
xs.insert(0, 0); xs.insert(-1, 7); xs.insert(100, 8); print(xs)
xs.remove(1); print(xs)
print(xs.pop(), xs.pop(0), xs.pop(-2), xs)
print(xs.index(4), xs.count(1), xs.count(42), len(xs))
xs.sort(); print(xs)
xs.sort(reverse=True); print(xs)
xs.reverse(); print(xs)
ys = xs.copy(); ys.append(100); print(xs, ys)
words = ["banana", "Apple", "cherry", "date"]
words.sort(key=str.lower); print(words)
words.sort(key=len); print(words)
print(sorted(words, key=lambda w: (len(w), w), reverse=True))
xs.clear(); print(xs)
a = [1, 2, 3]
b = a
b += [4]
print(a, a is b, a * 2, [0] * 3, [[0] * 2] * 2)
print(list(range(5)), list("abc"), list((1, 2)), list({"k": 1}))
nested = [[3, "c"], [1, "a"], [2, "b"]]
print(sorted(nested), min(nested), max(nested))
print([1, 2, 3] + [4], [1, [2, 3]][1][0])
