d = {'a': 1}
d.pop('a')
d.pop('a')
