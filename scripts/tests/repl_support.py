"""Shared helpers for the REPL tests: start the real `mlus` binary in a pseudo-terminal with its own
history file, and fail with the session's recent output when an expected prompt does not come."""
import os
import re
import sys
import tempfile

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MLUS = os.path.join(ROOT, ".build", "debug", "mlus")
TIMEOUT = 20


def prompt(n):
    """The regex of the `In [n]: ` prompt."""
    return re.escape(f"In [{n}]: ")


def spawn(history=None, cwd=None, args=()):
    if history is None:
        handle, history = tempfile.mkstemp(prefix="mlus-history-")
        os.close(handle)
        os.unlink(history)
    env = dict(os.environ)
    env["MLUS_HISTORY"] = history
    env["TERM"] = "xterm"
    env.pop("MLUS_PATH", None)
    child = pexpect.spawn(MLUS, list(args), env=env, cwd=cwd or tempfile.gettempdir(),
                          encoding="utf-8", timeout=TIMEOUT, dimensions=(40, 200))
    child.history_path = history
    return child


def expect(child, pattern, what):
    try:
        return child.expect(pattern)
    except (pexpect.TIMEOUT, pexpect.EOF) as error:
        kind = "timed out" if isinstance(error, pexpect.TIMEOUT) else "mlus exited"
        print(f"FAIL: {what}: {kind} waiting for {pattern!r}", file=sys.stderr)
        print("---- last output ----", file=sys.stderr)
        print(repr(child.before[-2000:] if isinstance(child.before, str) else child.before), file=sys.stderr)
        child.close(force=True)
        sys.exit(1)


def run_tests(tests):
    """Runs each test function, printing its name; exits non-zero on the first failure."""
    if not os.access(MLUS, os.X_OK):
        print(f"FAIL: {MLUS} is missing: run `swift build` first", file=sys.stderr)
        sys.exit(1)
    for test in tests:
        print(f"  {test.__name__} ...", flush=True)
        test()
    print(f"  {len(tests)} passed")
