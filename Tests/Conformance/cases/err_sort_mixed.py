xs = [3, 'a', 1]
xs.sort()
