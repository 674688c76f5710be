counter = 0
def bump():
    global counter
    counter += 1
bump(); bump()
print(counter)
def set_new():
    global created
    created = "yes"
set_new()
print(created)
def outer():
    v = 1
    def a():
        nonlocal v
        v = v * 10
    a(); a()
    return v
print(outer())
x = "global"
def read_global():
    return x
print(read_global())
