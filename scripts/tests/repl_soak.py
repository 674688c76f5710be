#!/usr/bin/env python3
"""REPL soak (docs/security.md): 2,000 lines of mixed valid, invalid and interrupted input through a pseudo-terminal.

The session must answer every line with a fresh prompt, survive every error and Ctrl-C, keep a variable set at the
start and a counter that valid lines advance, and its resident memory (VmRSS) may grow at most RSS_GROWTH_LIMIT_MB
between the end of a warm-up and the end of the run (reported either way).
"""
import os
import random
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from repl_support import MLUS, expect, spawn  # noqa: E402

LINES = int(os.environ.get('SOAK_LINES', 2000))
WARMUP = 100
RSS_GROWTH_LIMIT_MB = 150
PROMPT = r"In \[\d+\]: "
# The REPL's own "^C" line after an interrupted prompt, then the fresh prompt. Waiting for this exact sequence
# (not just any prompt text, which libedit may redraw while echoing) keeps the next input from racing the Ctrl-C.
AFTER_CTRL_C = r"\^C\r\n[^\n]*In \[\d+\]: "


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


VALID = [
    "counter += 1",
    "x = [i * i for i in range(50)]; counter += 1",
    "d = {str(i): i for i in range(30)}; counter += 1",
    "s = ', '.join(f'{k}={v}' for k, v in sorted(d.items())[:5]); counter += 1",
    "def f(a, b=2): return a * b",
    "class P:\n    def __init__(self, v): self.v = v\n",
    "p = P(3); counter += 1 if p.v == 3 else 100",
    "t = torch.zeros(8, 8) + 1; counter += 1 if t.sum().item() == 64 else 100",
    "u = torch.ones(2, 3, 4).permute(2, 0, 1).contiguous(); counter += 1",
    "import math; counter += 1 if math.isclose(math.sqrt(2) ** 2, 2) else 100",
    "lst = list(range(100)); lst.reverse(); counter += 1",
    "text = 'abc' * 100; counter += 1 if len(text) == 300 else 100",
    "try:\n    1 / 0\nexcept ZeroDivisionError:\n    counter += 1\n",
    "for i in range(3):\n    tmp = i\n",
    "f(3)",
    "soak_keep['b']",
]
# Each adds this much to `counter` (lines without `counter` add 0).
ADDS = {line: line.count("counter += 1") for line in VALID}
ADDS["try:\n    1 / 0\nexcept ZeroDivisionError:\n    counter += 1\n"] = 1

INVALID = [
    ("1 / 0", "ZeroDivisionError"),
    ("undefined_name_xyz", "NameError"),
    ("x = (1, 2", None),                     # incomplete: continuation prompt, abandoned with Ctrl-C
    ("print(1))", "SyntaxError"),
    ("'a' + 1", "TypeError"),
    ("raise ValueError('soak')", "ValueError"),
    ("[1, 2][5]", "IndexError"),
    ("{}['missing']", "KeyError"),
    ("torch.zeros(2, 3) + torch.zeros(4, 5)", "Error"),
    ("import no_such_module_xyz", "ModuleNotFoundError"),
    ("f(1, 2, 3, 4)", "Error"),              # TypeError, or NameError before `def f` ran
    ("   indented = 1", "IndentationError"),
    ("rec = lambda n: rec(n + 1); rec(0)", "RecursionError"),
    ("x = = 1", "SyntaxError"),
]


def main():
    if not os.access(MLUS, os.X_OK):
        print(f"repl_soak: FAIL: {MLUS} is missing: run swift build first")
        return 1
    rng = random.Random(9)
    child = spawn()
    child.timeout = 30
    child.delaybeforesend = None
    expect(child, PROMPT, "first prompt")
    child.sendline("soak_keep = {'a': [1, 2, 3], 'b': 'state'}; counter = 0; import torch")
    expect(child, PROMPT, "setup ran")
    for line in ("def f(a, b=2): return a * b", "class P:\n    def __init__(self, v): self.v = v\n"):
        child.send(line.replace("\n", "\r") + "\r")
        expect(child, PROMPT, "setup ran")
    counter = 0
    failed_valid = []
    sent = {"valid": 0, "invalid": 0, "interrupted": 0}
    start_rss = None
    started = time.monotonic()
    for n in range(LINES):
        if n == WARMUP:
            start_rss = rss_kb(child.pid)
        kind = rng.choices(["valid", "invalid", "interrupted"], [0.6, 0.3, 0.1])[0]
        sent[kind] += 1
        if kind == "valid":
            line = rng.choice(VALID)
            # A block is sent in one write, as a paste: the REPL keeps its indentation (no auto-indent while
            # input is waiting) and the empty line ends it.
            child.send(line.replace("\n", "\r") + "\r")
            counter += ADDS[line]
            expect(child, PROMPT, f"line {n}: prompt after {line!r}")
            if "Traceback" in child.before or re.search(r"\n\w+Error: ", child.before):
                failed_valid.append((n, line, child.before[-300:]))
        elif kind == "invalid":
            line, error = rng.choice(INVALID)
            child.sendline(line)
            if error is None and line.startswith("x = ("):
                expect(child, r"\.\.\.: ", f"line {n}: continuation prompt")
                child.sendintr()
                expect(child, AFTER_CTRL_C, f"line {n}: prompt after Ctrl-C in a continuation")
                continue
            elif error is not None:
                expect(child, error, f"line {n}: {error} for {line!r}")
            expect(child, PROMPT, f"line {n}: prompt after {line!r}")
        else:
            how = rng.randrange(3)
            if how == 0:      # a running loop, interrupted once the REPL has taken the line
                child.sendline("while True: spin = 1")
                expect(child, r"spin = 1\r\n", f"line {n}: loop line read")
                time.sleep(rng.uniform(0.0, 0.2))
                child.sendintr()
                expect(child, "KeyboardInterrupt", f"line {n}: loop interrupted")
                expect(child, PROMPT, f"line {n}: prompt after the interrupted loop")
                continue
            if how == 1:      # half-typed text abandoned
                child.send("half typed = not run")
                child.sendintr()
            else:             # a block abandoned in its continuation
                child.sendline("for i in range(10):")
                expect(child, r"\.\.\.: ", f"line {n}: continuation prompt")
                child.sendintr()
            expect(child, AFTER_CTRL_C, f"line {n}: prompt after Ctrl-C")
    end_rss = rss_kb(child.pid)
    child.sendline("soak_keep == {'a': [1, 2, 3], 'b': 'state'} and counter == %d" % counter)
    expect(child, r"Out\[\d+\]: (True|False)", "final state check")
    state_ok = child.match.group(1) == "True"
    if not state_ok:
        child.sendline("counter")
        expect(child, r"Out\[\d+\]: (\d+)", "counter")
        print(f"repl_soak: counter is {child.match.group(1)}, expected {counter}")
    alive = child.isalive()
    child.sendeof()
    child.close(force=True)
    growth_mb = (end_rss - start_rss) / 1024
    print(f"repl_soak: {LINES} inputs ({sent['valid']} valid, {sent['invalid']} errors, {sent['interrupted']} Ctrl-C) "
          f"in {time.monotonic() - started:.0f}s; VmRSS {start_rss // 1024} MB after warm-up -> {end_rss // 1024} MB "
          f"at the end ({growth_mb:+.1f} MB)")
    for n, line, output in failed_valid[:5]:
        print(f"repl_soak: valid line {n} {line!r} failed: {output!r}")
    if not alive or not state_ok or failed_valid:
        print("repl_soak: FAIL: " + ("the REPL died" if not alive else "session state was lost" if not state_ok
                                     else f"{len(failed_valid)} valid inputs failed"))
        return 1
    if growth_mb > RSS_GROWTH_LIMIT_MB:
        print(f"repl_soak: FAIL: memory grew {growth_mb:.1f} MB (limit {RSS_GROWTH_LIMIT_MB} MB)")
        return 1
    print("repl_soak: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
