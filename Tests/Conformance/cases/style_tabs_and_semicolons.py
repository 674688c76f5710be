def f(x):
	if x:
		return "tab-indented"
	return "no"
print(f(1)); print(f(0));
x = 1; y = 2; z = x + y
print(z)
