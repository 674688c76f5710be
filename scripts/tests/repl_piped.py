"""Drives `mlus` with piped (non-terminal) standard input, as another program would: plain prompts and
values, no escape codes, blocks closed by a blank line, errors on stderr, the session goes on after them."""
import subprocess
import sys
import tempfile

from repl_support import MLUS, run_tests


def run(text):
    return subprocess.run([MLUS], input=text, capture_output=True, text=True, timeout=30,
                          cwd=tempfile.gettempdir())


def test_piped_session():
    result = run("x = 2\nx * 3\nfor i in range(2):\n    print('line', i)\n\n1 / 0\nprint('after', _ + 1)\n")
    assert result.returncode == 0, (result.returncode, result.stderr)
    out = result.stdout
    assert "\x1b" not in out and "\x1b" not in result.stderr, repr(out)
    assert "In [1]: " in out, out
    assert "Out[2]: 6\n" in out, out
    assert "line 0\nline 1\n" in out, out
    assert "after 7\n" in out, out
    assert "ZeroDivisionError" in result.stderr, result.stderr
    assert "   ...: " in out, out


def test_piped_magics_and_exit():
    result = run("a = 1\n%who\nexit()\nprint('not reached')\n")
    assert result.returncode == 0, result.stderr
    assert "a\n" in result.stdout, result.stdout
    assert "not reached" not in result.stdout, result.stdout


def test_sys_exit_status():
    result = run("import sys\nsys.exit(3)\n")
    assert result.returncode == 3, (result.returncode, result.stdout, result.stderr)


if __name__ == "__main__":
    run_tests([test_piped_session, test_piped_magics_and_exit, test_sys_exit_status])
