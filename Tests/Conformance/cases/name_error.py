model = 3
print(model)
print(modle)
