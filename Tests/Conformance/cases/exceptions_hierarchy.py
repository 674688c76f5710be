checks = [
    (ZeroDivisionError, ArithmeticError), (KeyError, LookupError), (IndexError, LookupError),
    (FileNotFoundError, OSError), (RecursionError, RuntimeError), (NotImplementedError, RuntimeError),
    (IndentationError, SyntaxError), (UnboundLocalError, NameError), (ModuleNotFoundError, ImportError),
    (ValueError, Exception), (Exception, BaseException), (KeyboardInterrupt, Exception), (StopIteration, Exception),
    (AssertionError, Exception), (OverflowError, ArithmeticError),
]
for a, b in checks:
    print(a.__name__, b.__name__, issubclass(a, b))
def classify(exc):
    try:
        raise exc
    except LookupError:
        return "lookup"
    except ArithmeticError:
        return "arith"
    except Exception:
        return "other"
print([classify(e) for e in [KeyError(), IndexError(), ZeroDivisionError(), ValueError(), OverflowError()]])
