print(int('7'))
print(int('7.5'))
