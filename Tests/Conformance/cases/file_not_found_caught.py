try:
    open("missing/file.txt")
except FileNotFoundError as e:
    print(type(e).__name__, isinstance(e, OSError))
except OSError:
    print("other")
