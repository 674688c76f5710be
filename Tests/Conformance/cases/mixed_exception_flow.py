log = []
def step(i):
    log.append(f"start {i}")
    try:
        if i % 3 == 0:
            raise ValueError(i)
        if i % 3 == 1:
            return i * 10
        log.append("no return")
    except ValueError as e:
        log.append(f"caught {e.args[0]}")
        return -1
    else:
        log.append("else")
    finally:
        log.append(f"finally {i}")
    return 0
print([step(i) for i in range(4)])
print(log)
def nested():
    try:
        try:
            raise KeyError("inner")
        finally:
            log.append("inner finally")
    except LookupError as e:
        return repr(e)
print(nested(), log[-1])
errors = []
for v in ["1", "x", "2.5", None, "3"]:
    try:
        errors.append(int(v))
    except (ValueError, TypeError) as e:
        errors.append(type(e).__name__)
        continue
    finally:
        errors.append("|")
print(errors)
