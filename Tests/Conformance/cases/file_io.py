with open("notes.txt", "w") as f:
    n = f.write("line one\nline two\n")
    f.write("line three")
print(n)
with open("notes.txt") as f:
    print(repr(f.read()))
with open("notes.txt", "r") as f:
    print(f.readline(), end="")
    print(f.readlines())
with open("notes.txt") as f:
    for i, line in enumerate(f):
        print(i, line.rstrip())
with open("notes.txt", "a") as f:
    f.write("\nappended")
f = open("notes.txt")
lines = f.read().split("\n")
f.close()
print(lines, f.closed)
with open("out.csv", "w") as f:
    for row in [[1, 2], [3, 4]]:
        f.write(",".join(str(x) for x in row) + "\n")
print(open("out.csv").read().splitlines())
try:
    f.read()
except ValueError as e:
    print("ValueError", e)
