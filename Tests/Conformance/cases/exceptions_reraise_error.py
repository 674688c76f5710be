try:
    {}["x"]
except KeyError:
    print("handling")
    raise
