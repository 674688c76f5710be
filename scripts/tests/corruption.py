#!/usr/bin/env python3
"""Corruption test (docs/security.md): every fixture format, damaged three ways, through the real `mlus` binary.

For each format: truncation at 64 evenly spaced lengths, 200 random byte flips (1-8 bytes each) and 32 zero-filled
regions. Every damaged file is loaded inside one mlus process per format (a script looping with try/except, so
a crash takes the whole batch down and is then pinned to its file), and one case in four is also run in a
process of its own. A process must never die from a signal, hang (timeout) or use 2 GB of memory; a process
that is given a damaged file must exit 1 with a message on stderr, or exit 0 if the damage left a valid file
(possible only where the format has no checksum over that byte: raw tensor data, JPEG scan data, a script's
string literal), and the batch and the single process must agree.
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MLUS = os.path.join(ROOT, ".build", "debug", "mlus")
FIX = os.path.join(ROOT, "Tests", "Fixtures")
SEEDS = os.path.join(ROOT, "Tests", "Fuzz", "Corpus")
RSS_LIMIT_KB = 2 * 1024 * 1024
BATCH_TIMEOUT = 120
SINGLE_TIMEOUT = 20

# Python-subset helpers shared by the batch scripts: read everything a caller would read next.
PRELUDE = """
import sys
import torch
def touch(x, depth=0):
    if depth > 50:
        return
    if isinstance(x, torch.Tensor):
        if x.numel() <= 4000000:
            x.float().sum().item()
    elif isinstance(x, dict):
        for v in x.values():
            touch(v, depth + 1)
    elif isinstance(x, (list, tuple)):
        for v in x:
            touch(v, depth + 1)
"""

# name: (source file, loader body using `path`, single-process command)
def formats(work):
    tiny = os.path.join(work, "tiny")
    return {
        "zip_pth": (os.path.join(FIX, "checkpoints", "checkpoint_zip.pt"),
                    "touch(torch.load(path))", ["-c", "import sys, torch; torch.load(sys.argv[1])"]),
        "zip_pth_model": (os.path.join(FIX, "checkpoints", "whole_model_zip.pt"),
                    "touch(torch.load(path))", ["-c", "import sys, torch; torch.load(sys.argv[1])"]),
        "legacy_pth": (os.path.join(FIX, "checkpoints", "whole_model_legacy.pt"),
                       "touch(torch.load(path))", ["-c", "import sys, torch; torch.load(sys.argv[1])"]),
        "npy": (os.path.join(SEEDS, "Npy", "i8_fortran.npy"),
                "import numpy as np\n    touch(np.load(path))", ["-c", "import sys, numpy; numpy.load(sys.argv[1])"]),
        # Own processes alternate between `mlus inspect` and `mlus infer` on an intact input.
        "cambricon": (os.path.join(tiny, "tiny_fp32.cambricon"),
                      "import cnrt\n    m = cnrt.load_model(path)\n    f = m.extract_function('subnet0')\n"
                      "    f.invoke([torch.zeros(f.input_shapes()[0])])",
                      lambda path, k: ["inspect", "--no-estimate", path] if k % 8 == 0 else
                      ["infer", path, os.path.join(tiny, "input.npy"), "--out", os.path.join(work, "infer-out")]),
        "twins": (os.path.join(tiny, "tiny_fp32.cambricon_twins"),
                  "import cnrt\n    cnrt.load_model(path[:-len('_twins')]).twins()",
                  ["-c", "import sys, cnrt; cnrt.load_model(sys.argv[1][:-6]).twins()"]),
        "png": (os.path.join(SEEDS, "PNG", "rgba.png"),
                "import image\n    touch(image.read(path))", ["-c", "import sys, image; image.read(sys.argv[1])"]),
        "jpeg": (os.path.join(SEEDS, "JPEG", "rgb_progressive.jpg"),
                 "import image\n    touch(image.read(path))", ["-c", "import sys, image; image.read(sys.argv[1])"]),
        "script": (os.path.join(ROOT, "scripts", "tests", "corruption_sample.mlus"), None, []),
    }


def damaged(data, seed):
    """Yields (label, bytes) for every corruption of `data`."""
    n = len(data)
    for k in range(64):
        cut = n * k // 64
        yield f"trunc{cut}", data[:cut]
    rng = random.Random(seed)
    for i in range(200):
        b = bytearray(data)
        for _ in range((1, 2, 4, 8)[i % 4]):
            at = rng.randrange(n)
            b[at] ^= rng.randrange(1, 256)
        yield f"flip{i}", bytes(b)
    for i in range(32):
        size = (4, 16, 256, 4096)[i % 4]
        at = n * (i // 4) // 8
        b = bytearray(data)
        b[at:at + size] = bytes(len(b[at:at + size]))
        yield f"zero{at}+{size}", bytes(b)


def run(args, timeout):
    """Runs mlus; returns (status, stderr, maxrss_kb). status is the exit code, -signal, or 'timeout'."""
    env = dict(os.environ, MLUS_STDLIB=os.path.join(ROOT, "stdlib"), SWIFT_BACKTRACE="enable=no")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen([MLUS] + args, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=ROOT)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                p.kill()
                os.wait4(p.pid, 0)
                return "timeout", b"", 0
            time.sleep(0.005)
        err.seek(0)
        out.seek(0)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        return code, err.read() + b"\n" + out.read(), usage.ru_maxrss


def main():
    if not os.access(MLUS, os.X_OK):
        print(f"corruption: FAIL: {MLUS} is missing: run swift build first")
        return 1
    work = tempfile.mkdtemp(prefix="mlus-corruption.")
    failures = []
    totals = {"cases": 0, "rejected": 0, "accepted": 0, "single": 0}
    peak_rss = 0
    try:
        os.makedirs(os.path.join(work, "tiny"))
        status, text, _ = run([os.path.join(ROOT, "Tests", "Fuzz", "tiny_offline.mlus"), os.path.join(work, "tiny")], 120)
        if status == 0:
            status, more, _ = run(["-c", "import sys, torch, numpy as np; np.save(sys.argv[1], torch.ones(1, 8, 8, 3))",
                                   os.path.join(work, "tiny", "input.npy")], 60)
            text += more
        if status != 0:
            print("corruption: FAIL: could not write the .cambricon fixture:", text.decode(errors="replace")[-800:])
            return 1
        for name, (source, body, single) in formats(work).items():
            original = open(source, "rb").read()
            folder = os.path.join(work, name)
            os.makedirs(folder)
            cases = []
            for i, (label, data) in enumerate(damaged(original, seed=len(name) * 7919)):
                if name == "twins":
                    # The twins file is read beside its model: each case gets a copy of the intact model.
                    path = os.path.join(folder, f"{i:03d}.cambricon_twins")
                    shutil.copyfile(source[:-len("_twins")], path[:-len("_twins")])
                else:
                    path = os.path.join(folder, f"{i:03d}_{label}{os.path.splitext(source)[1]}")
                with open(path, "wb") as f:
                    f.write(data)
                cases.append((label, path))
            totals["cases"] += len(cases)
            verdict = {}
            if body is not None:
                listing = os.path.join(folder, "cases.txt")
                with open(listing, "w") as f:
                    f.write("\n".join(p for _, p in cases) + "\n")
                script = os.path.join(folder, "batch.mlus")
                with open(script, "w") as f:
                    f.write(PRELUDE + "\ndef load(path):\n    " + body + "\n\n"
                            "for path in open(sys.argv[1]).read().split():\n"
                            "    try:\n        load(path)\n        print('OK', path)\n"
                            "    except Exception as e:\n"
                            "        msg = str(e)\n"
                            "        print('ERR' if msg else 'EMPTY', path, type(e).__name__)\n")
                status, text, rss = run([script, listing], BATCH_TIMEOUT)
                peak_rss = max(peak_rss, rss)
                if status != 0 or rss > RSS_LIMIT_KB:
                    failures.append(f"{name}: batch process ended with {status}, maxrss {rss} kB: "
                                    + text.decode(errors='replace')[-600:])
                for line in text.decode(errors="replace").splitlines():
                    parts = line.split()
                    if len(parts) >= 2 and parts[0] in ("OK", "ERR", "EMPTY"):
                        verdict[parts[1]] = parts[0]
                        if parts[0] == "EMPTY":
                            failures.append(f"{name}: {parts[1]}: error without a message ({parts[2:]})")
            # One case in four (every case when no batch ran, or the batch died) in a process of its own.
            batch_died = body is not None and len(verdict) < len(cases)
            for k, (label, path) in enumerate(cases):
                if body is not None and not batch_died and k % 4 != 0:
                    continue
                args = [path] if name == "script" else single(path, k) if callable(single) else single + [path]
                status, text, rss = run(args, SINGLE_TIMEOUT)
                peak_rss = max(peak_rss, rss)
                totals["single"] += 1
                where = f"{name}/{os.path.basename(path)} ({label})"
                if status not in (0, 1):
                    failures.append(f"{where}: exit {status} (signal or timeout): {text.decode(errors='replace')[-400:]}")
                elif rss > RSS_LIMIT_KB:
                    failures.append(f"{where}: used {rss} kB")
                elif status == 1 and not text.strip():
                    failures.append(f"{where}: exit 1 without a message")
                elif path in verdict and (verdict[path] == "OK") != (status == 0):
                    failures.append(f"{where}: batch said {verdict[path]}, own process exited {status}")
                if name == "script" or batch_died:
                    verdict[path] = "OK" if status == 0 else "ERR"
            rejected = sum(1 for v in verdict.values() if v != "OK")
            totals["rejected"] += rejected
            totals["accepted"] += len(verdict) - rejected
            print(f"  {name:14s} {len(cases)} cases: {rejected} rejected with a message, {len(verdict) - rejected} still valid")
            if rejected == 0:
                failures.append(f"{name}: no damaged file was rejected")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"corruption: {totals['cases']} cases ({totals['rejected']} rejected, {totals['accepted']} still valid), "
          f"{totals['single']} in their own process, peak RSS {peak_rss // 1024} MB")
    if failures:
        print(f"corruption: FAIL: {len(failures)} problems")
        for f in failures[:40]:
            print("  " + f)
        return 1
    print("corruption: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
