"""Runs programs under mlus and under a Python interpreter and compares what they print.

stdout must be identical; when the Python run ends in an uncaught exception, mlus must end in the same
exception type at the same line. Prints a pass count; exits 1 on any difference."""
import argparse
import os
import re
import subprocess
import sys
import tempfile

TRACE_LINE = re.compile(r'File "([^"]+)", line (\d+)')


def last_error(stderr):
    lines = [l for l in stderr.strip().splitlines() if l.strip()]
    if not lines:
        return None, None
    exc = lines[-1].split(":")[0].strip()
    line = None
    for m in TRACE_LINE.finditer(stderr):
        line = int(m.group(2))
    return exc, line


def run(cmd, path, cwd):
    env = dict(os.environ, PYTHONHASHSEED="0")
    p = subprocess.run(cmd + [path], capture_output=True, text=True, cwd=cwd, timeout=120, env=env)
    return p.returncode, p.stdout, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mlus", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("folder")
    args = ap.parse_args()
    mlus = os.path.abspath(args.mlus)
    cases = sorted(f for f in os.listdir(args.folder) if f.endswith(".py"))
    failures = []
    for case in cases:
        path = os.path.abspath(os.path.join(args.folder, case))
        with tempfile.TemporaryDirectory() as cwd:
            prc, pout, perr = run([args.python], path, cwd)
        with tempfile.TemporaryDirectory() as cwd:
            mrc, mout, merr = run([mlus], path, cwd)
        problems = []
        if pout != mout:
            pl, ml = pout.splitlines(), mout.splitlines()
            for i in range(max(len(pl), len(ml))):
                a = pl[i] if i < len(pl) else "<missing>"
                b = ml[i] if i < len(ml) else "<missing>"
                if a != b:
                    problems.append(f"stdout line {i + 1}:\n      python: {a}\n      mlus:   {b}")
                    break
        if prc != 0 or mrc != 0:
            pe, mE = last_error(perr), last_error(merr)
            if (prc == 0) != (mrc == 0) or pe != mE:
                problems.append(f"error: python {pe} (exit {prc}) vs mlus {mE} (exit {mrc})\n      mlus stderr: {merr.strip()[-300:]}")
        if problems:
            failures.append((case, problems))
    for case, problems in failures:
        print(f"FAIL {case}")
        for p in problems:
            print("    " + p)
    print(f"{len(cases) - len(failures)}/{len(cases)} programs match")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
