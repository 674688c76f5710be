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

# The command line: -c, -, argv, exit statuses, --version, --help, the REPL.
def cli(args, stdin=b""):
    with tempfile.TemporaryDirectory() as tmp:
        p = subprocess.run([mlus] + args, cwd=tmp, input=stdin, capture_output=True, timeout=60)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
cli_checks = [
    ("-c prints", cli(["-c", "print(1 + 1)"]), lambda r: r[0] == 0 and r[1] == "2\n"),
    ("-c argv", cli(["-c", "import sys; print(sys.argv)", "a", "--flag"]), lambda r: r[1] == "['-c', 'a', '--flag']\n"),
    ("stdin script", cli(["-", "x"], b"import sys\nprint(sys.argv, 3 * 3)\n"), lambda r: r[0] == 0 and r[1] == "['-', 'x'] 9\n"),
    ("uncaught error exits 1", cli(["-c", "1/0"]), lambda r: r[0] == 1 and "ZeroDivisionError: division by zero" in r[2]),
    ("syntax error exits 1", cli(["-c", "x = = 1"]), lambda r: r[0] == 1 and "SyntaxError" in r[2]),
    ("sys.exit code", cli(["-c", "import sys; sys.exit(4)"]), lambda r: r[0] == 4),
    ("sys.exit message", cli(["-c", "import sys; sys.exit('bye')"]), lambda r: r[0] == 1 and r[2] == "bye\n"),
    ("--version", cli(["--version"]), lambda r: r[0] == 0 and r[1].startswith("mlus ")),
    ("--help", cli(["--help"]), lambda r: r[0] == 0 and "USAGE" in r[1].upper()),
    ("missing file", cli(["no_such_file.mlus"]), lambda r: r[0] == 2 and "can't open file" in r[2]),
    ("no script: the REPL on piped stdin", cli([], b"6 * 7\n"), lambda r: r[0] == 0 and "Out[1]: 42\n" in r[1]),
]
with tempfile.TemporaryDirectory() as tmp:
    script = os.path.join(tmp, "prog.mlus")
    with open(os.path.join(tmp, "helper.mlus"), "w") as f:
        f.write("GREETING = 'hi from helper'\n")
    with open(script, "w") as f:
        f.write("import sys\nimport helper\nprint(helper.GREETING, sys.argv[1:])\n")
    cli_checks.append(("script file + folder import", cli([script, "--epochs", "3"]),
                       lambda r: r[0] == 0 and r[1] == "hi from helper ['--epochs', '3']\n"))
cli_failed = [(n, r) for n, r, ok in cli_checks if not ok(r)]
for n, r in cli_failed:
    print("FAIL cli:", n, r)
print("cli: %d/%d passed" % (len(cli_checks) - len(cli_failed), len(cli_checks)))
sys.exit(1 if failures or cli_failed or not cases else 0)
PY
