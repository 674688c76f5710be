def validate(n):
    if n < 0:
        raise ValueError(f"negative: {n}")
    return n
validate(1)
validate(-3)
