lo, hi = 0, 100
target = 37
steps = 0
while lo <= hi and steps < 20:
    mid = (lo + hi) // 2
    steps += 1
    if mid == target:
        break
    elif mid < target:
        lo = mid + 1
    else:
        hi = mid - 1
print(mid, steps)
stack = [[1, [2, [3, [4]]]]]
flat = []
while stack:
    item = stack.pop()
    if isinstance(item, list):
        stack.extend(reversed(item))
    else:
        flat.append(item)
print(flat)
