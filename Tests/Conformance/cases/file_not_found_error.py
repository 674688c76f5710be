print("opening")
with open("does_not_exist.txt") as f:
    print(f.read())
