import sys
print("exiting")
try:
    sys.exit(3)
except SystemExit as e:
    print("caught exit", e.args)
