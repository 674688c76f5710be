for i in range(3):
    for j in range(3):
        if j == i:
            continue
        if j > 1:
            break
        print(i, j)
result = []
for row in [[1, 2], [3, 4], [5]]:
    for item in row:
        result.append(item * 10)
print(result)
