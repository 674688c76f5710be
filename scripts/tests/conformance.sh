#!/usr/bin/env bash
# Language conformance: every Tests/Conformance/cases/*.py runs under CPython (the oracle) and under
# .build/debug/mlus. Stdout must match byte for byte; when CPython fails, mlus must fail with the same
# exception type at the same line. Files starting with '_' are helper modules, not cases.
# Usage: scripts/tests/conformance.sh [pattern]   (pattern filters case names)
set -uo pipefail
cd "$(dirname "$0")/../.."
MLUS="$PWD/.build/debug/mlus"
if [ ! -x "$MLUS" ]; then
    echo "conformance: $MLUS not found (run swift build first)" >&2
    exit 1
fi
exec python3 - "$MLUS" "$PWD/Tests/Conformance/cases" "${1:-}" <<'PY'
import os, re, subprocess, sys, tempfile, glob

mlus, cases_dir, pattern = sys.argv[1], sys.argv[2], sys.argv[3]

def run(cmd, path):
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
        try:
            p = subprocess.run(cmd + [path], cwd=tmp, capture_output=True, timeout=60, env=env)
        except subprocess.TimeoutExpired:
            return None, b"", b"timeout"
        return p.returncode, p.stdout, p.stderr

def python_error(stderr):
    lines = stderr.decode("utf-8", "replace").rstrip("\n").split("\n")
    last = lines[-1] if lines else ""
    etype = re.match(r"^([A-Za-z_][\w.]*)", last)
    line = None
    for l in lines:
        m = re.match(r'^\s*File "[^"]*", line (\d+)', l)
        if m:
            line = int(m.group(1))
    return (etype.group(1).split(".")[-1] if etype else last), line

def mlus_error(stderr):
    lines = [l for l in stderr.decode("utf-8", "replace").rstrip("\n").split("\n") if not l.startswith("hint:")]
    last = lines[-1] if lines else ""
    etype = re.match(r"^([A-Za-z_][\w.]*)", last)
    line = None
    for l in lines:
        m = re.match(r"^.*:(\d+):(\d+)$", l)
        if m and not l.startswith(" "):
            line = int(m.group(1))
    return (etype.group(1) if etype else last), line

cases = sorted(f for f in glob.glob(os.path.join(cases_dir, "*.py")) if not os.path.basename(f).startswith("_"))
if pattern:
    cases = [c for c in cases if pattern in os.path.basename(c)]
passed, failures = 0, []
for case in cases:
    name = os.path.basename(case)
    prc, pout, perr = run(["python3"], case)
    mrc, mout, merr = run([mlus], case)
    problems = []
    if mrc is None:
        problems.append("mlus timed out")
    else:
        if pout != mout:
            problems.append("stdout differs:\n--- python\n%s\n--- mlus\n%s" % (pout.decode(errors="replace"), mout.decode(errors="replace")))
        if prc == 0 and mrc != 0:
            problems.append("mlus failed:\n" + merr.decode(errors="replace"))
        elif prc != 0:
            pe = python_error(perr)
            me = mlus_error(merr)
            if mrc == 0:
                problems.append("python raised %s at line %s but mlus succeeded" % pe)
            elif pe != me:
                problems.append("error differs: python %s line %s, mlus %s line %s\n%s" % (pe + me + (merr.decode(errors="replace"),)))
    if problems:
        failures.append((name, problems))
    else:
        passed += 1
for name, problems in failures:
    print("FAIL", name)
    for p in problems:
        print("   ", p.replace("\n", "\n    "))
print("conformance: %d/%d passed" % (passed, len(cases)))
sys.exit(1 if failures or not cases else 0)
PY
