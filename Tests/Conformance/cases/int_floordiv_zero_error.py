a = 5
b = 0
print("before")
c = a // b
