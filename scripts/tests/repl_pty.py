"""Drives the real `mlus` REPL through a pseudo-terminal, as a user at a keyboard would (issue 2):
prompts, values and `_`, a multi-line class, history across two sessions, tab completion, errors,
Ctrl-C at the prompt and during a running loop, Ctrl-D."""
import os
import re
import tempfile
import time

import pexpect

from repl_support import expect, prompt, run_tests, spawn


def test_prompts_values_and_underscore():
    child = spawn()
    expect(child, prompt(1), "first prompt")
    child.sendline("6 * 7")
    expect(child, r"Out\[1\]: 42\r\n", "Out[1] value")
    expect(child, prompt(2), "second prompt")
    child.sendline("_ + 1")
    expect(child, r"Out\[2\]: 43\r\n", "_ is the last value")
    child.sendline("__ * 2")
    expect(child, r"Out\[3\]: 84\r\n", "__ is the value before")
    child.sendline("_1 + Out[2]")
    expect(child, r"Out\[4\]: 85\r\n", "_n and Out[n]")
    child.sendline("x = 5")
    expect(child, prompt(6), "an assignment shows no Out")
    assert "Out[5]" not in child.before, child.before
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.exitstatus


def test_non_ascii_input():
    child = spawn()
    expect(child, prompt(1), "prompt")
    child.sendline("s = 'héllo→'")
    expect(child, prompt(2), "prompt")
    child.sendline("s, len(s)")
    expect(child, re.escape("Out[2]: ('héllo→', 6)"), "UTF-8 typed at the prompt reaches the interpreter")
    child.close(force=True)


def test_multiline_class_with_auto_indent():
    child = spawn()
    expect(child, prompt(1), "first prompt")
    child.sendline("class Counter:")
    expect(child, r"\.\.\.: ", "continuation prompt after a line ending in ':'")
    # The editor indents the next lines itself: send them without leading spaces.
    child.sendline("def __init__(self, start):")
    expect(child, r"\.\.\.: ", "continuation")
    child.sendline("self.value = start")
    expect(child, r"\.\.\.: ", "continuation")
    # Back one level for the second method: delete the auto-indent's last four spaces.
    child.send("\x08\x08\x08\x08def bump(self):\r")
    expect(child, r"\.\.\.: ", "continuation")
    child.sendline("self.value += 1")
    expect(child, r"\.\.\.: ", "continuation")
    child.sendline("return self.value")
    expect(child, r"\.\.\.: ", "continuation after return")
    child.sendline("")  # the blank line (only the auto-indent) closes the block
    expect(child, prompt(2), "the class is defined")
    child.sendline("c = Counter(10); c.bump(); c.bump()")
    expect(child, r"Out\[2\]: 12\r\n", "methods of the multi-line class")
    child.close(force=True)


def test_pasted_block_keeps_its_indentation():
    child = spawn()
    expect(child, prompt(1), "prompt")
    child.send("class P:\r    def f(self):\r        return 1\r    def g(self):\r        return 2\r\r")
    expect(child, prompt(2), "pasted class ran")
    child.sendline("P().f() + P().g()")
    expect(child, r"Out\[2\]: 3\r\n", "the pasted class is intact")
    child.close(force=True)


def test_history_across_sessions():
    first = spawn()
    history = first.history_path
    expect(first, prompt(1), "first session prompt")
    first.sendline("remembered = 31337")
    expect(first, prompt(2), "statement ran")
    first.sendeof()
    first.expect(pexpect.EOF)
    first.close()
    with open(history, encoding="utf-8", errors="replace") as handle:
        assert "remembered" in handle.read(), "history file lacks the entered line"

    second = spawn(history=history)
    expect(second, prompt(1), "second session prompt")
    second.send("\x1b[A")  # up arrow recalls the last line of the first session
    expect(second, r"remembered = 31337", "up arrow shows the previous session's line")
    second.send("\r")
    expect(second, prompt(2), "recalled line ran")
    second.sendline("remembered + 1")
    expect(second, r"Out\[2\]: 31338\r\n", "recalled statement took effect")
    second.close(force=True)
    os.unlink(history)


def test_tab_completes_module_members():
    child = spawn()
    expect(child, prompt(1), "prompt")
    child.sendline("import math")
    expect(child, prompt(2), "import ran")
    # libedit redraws only the inserted part, so the proof of completion is the value of the call.
    child.send("math.sq\t(16)\r")
    expect(child, r"Out\[2\]: 4\.0\r\n", "Tab completed math.sq to math.sqrt")
    expect(child, prompt(3), "prompt")
    child.send("math.is\t")
    # Several members start with `is`: Tab lists them.
    expect(child, r"isfinite", "Tab lists candidates")
    expect(child, r"isnan", "Tab lists candidates")
    child.sendintr()  # clear the line
    expect(child, prompt(3), "Ctrl-C at the prompt gives a fresh prompt with the same number")
    child.send("remembered_name = 3\r")
    expect(child, prompt(4), "prompt")
    child.send("re\t\t")
    expect(child, r"remembered_name", "Tab lists global names and keywords")
    child.close(force=True)


def test_tab_completes_paths_inside_strings():
    folder = tempfile.mkdtemp(prefix="mlus-paths-")
    os.mkdir(os.path.join(folder, "weights"))
    open(os.path.join(folder, "weights", "carseg_int8.pth"), "w").close()
    child = spawn(cwd=folder)
    expect(child, prompt(1), "prompt")
    child.send("path = 'wei\tcar\t'\r")
    expect(child, prompt(2), "assignment ran")
    child.sendline("path")
    expect(child, r"Out\[2\]: 'weights/carseg_int8\.pth'\r\n", "Tab completed a folder, then a file in it")
    child.close(force=True)


def test_error_then_working_statement():
    child = spawn()
    expect(child, prompt(1), "prompt")
    child.sendline("1 / 0")
    expect(child, r"ZeroDivisionError", "error is printed")
    expect(child, prompt(2), "prompt after the error")
    child.sendline("undefined_name")
    expect(child, r"NameError", "name error is printed")
    expect(child, prompt(3), "prompt after the error")
    child.sendline("2 + 3")
    expect(child, r"Out\[3\]: 5\r\n", "the session still works")
    child.close(force=True)


def test_ctrl_c_interrupts_running_loop():
    child = spawn()
    expect(child, prompt(1), "prompt")
    child.sendline("kept = 'state'")
    expect(child, prompt(2), "prompt")
    child.sendline("while True: pass")
    time.sleep(1.0)
    child.sendintr()
    expect(child, r"KeyboardInterrupt", "the loop is interrupted")
    expect(child, prompt(3), "prompt after the interrupt")
    child.sendline("kept")
    expect(child, r"Out\[3\]: 'state'\r\n", "state survives the interrupt")
    # A second interrupt works too.
    # Pasted code keeps its own indentation (no auto-indent while input is waiting).
    child.send("n = 0\rwhile True:\r    n += 1\r\r")
    time.sleep(1.0)
    child.sendintr()
    expect(child, r"KeyboardInterrupt", "second interrupt")
    child.sendline("n > 0")
    expect(child, r"True", "the loop ran before the interrupt")
    child.close(force=True)


def test_ctrl_c_at_prompt_clears_line_and_ctrl_d_exits():
    child = spawn()
    expect(child, prompt(1), "prompt")
    child.send("this is not run")
    child.sendintr()
    expect(child, prompt(1), "same prompt number after Ctrl-C")
    child.sendline("for i in range(2):")
    expect(child, r"\.\.\.: ", "continuation")
    child.sendintr()  # abandons the whole block
    expect(child, prompt(1), "Ctrl-C in a block abandons it")
    child.sendline("1 + 1")
    expect(child, r"Out\[1\]: 2\r\n", "fresh input runs")
    expect(child, prompt(2), "prompt")
    # Ctrl-D typed before the editor has switched the tty to raw mode would be cooked by the tty;
    # on a loaded machine that window is wide, so give the editor time to start reading.
    time.sleep(0.5)
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.exitstatus


def test_magics_and_help():
    child = spawn()
    expect(child, prompt(1), "prompt")
    child.sendline("alpha = 1")
    child.sendline("beta = 'b'")
    expect(child, prompt(3), "prompt")
    child.sendline("%who")
    expect(child, r"alpha\tbeta", "%who lists the user's names")
    child.sendline("%time sum(range(1000))")
    expect(child, r"Wall time: [0-9.]+ [mµn]?s", "%time reports the time")
    expect(child, r"Out\[4\]: 499500", "%time shows the value")
    child.sendline("%pwd")
    expect(child, re.escape(os.path.realpath(tempfile.gettempdir())) + r"\r\n", "%pwd prints the folder")
    child.sendline("%nosuchmagic")
    expect(child, r"UsageError: Line magic function `%nosuchmagic` not found", "unknown magic")
    child.sendline("?len")
    expect(child, r"len", "?obj shows help")
    expect(child, prompt(8), "prompt after help")
    child.sendline("%quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.exitstatus


if __name__ == "__main__":
    run_tests([
        test_prompts_values_and_underscore,
        test_non_ascii_input,
        test_multiline_class_with_auto_indent,
        test_pasted_block_keeps_its_indentation,
        test_history_across_sessions,
        test_tab_completes_module_members,
        test_tab_completes_paths_inside_strings,
        test_error_then_working_statement,
        test_ctrl_c_interrupts_running_loop,
        test_ctrl_c_at_prompt_clears_line_and_ctrl_d_exits,
        test_magics_and_help,
    ])
