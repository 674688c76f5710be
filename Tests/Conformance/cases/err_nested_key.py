cfg = {'model': {'depth': 3}}
print(cfg['model']['depth'])
print(cfg['model']['width'])
