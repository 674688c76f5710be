class AppError(Exception):
    pass
class ConfigError(AppError):
    def __init__(self, key, msg="bad config"):
        super().__init__(f"{msg}: {key}")
        self.key = key
try:
    raise ConfigError("lr")
except AppError as e:
    print(type(e).__name__, e, e.key, e.args, isinstance(e, Exception))
class Custom(Exception):
    def __str__(self):
        return "custom str"
try:
    raise Custom(1, 2)
except Exception as e:
    print(e, e.args, repr(ValueError("v")), repr(KeyError("k")), str(KeyError("k")), repr(Exception()))
try:
    raise AppError
except AppError as e:
    print("bare class raise", repr(e), str(e) == "")
