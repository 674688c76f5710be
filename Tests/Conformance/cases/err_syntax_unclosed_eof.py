print('a')
xs = [1, 2,
