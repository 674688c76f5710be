import sys
print(len(sys.argv) >= 1, type(sys.argv).__name__, type(sys.path).__name__)
print("to stdout")
sys.stdout.write("written directly\n")
print("to stderr", file=sys.stderr)
print(sys.maxsize > 2 ** 62)
sys.exit(0)
print("never")
