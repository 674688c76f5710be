x = 1
y = "2"
print("adding")
z = x + y
