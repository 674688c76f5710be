#!/usr/bin/env python3
"""Kills `mlus` with SIGKILL at random points while it writes `.pth` and `.cambricon` files (docs/security.md).

A writer process saves the same target over and over, each save a new version whose contents encode its number.
Each trial starts a writer, waits a random time, kills it, and hard-links the target to a snapshot. Afterwards one
mlus process checks every snapshot: absent (no save ever finished), or loading completely with the version last
reported saved, or the one being written when the kill came (its rename may have landed just before the kill).
Stray temporary files (.NAME.tmp-*) are allowed — the writer never got to remove them — and counted.
"""
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MLUS = os.path.join(ROOT, ".build", "debug", "mlus")
HERE = os.path.join(ROOT, "scripts", "tests", "kill_write.d")
TRIALS = {"pth": 50, "cambricon": 50}
PTH_TENSORS = 4   # 4 × 4 MB of float64: a save takes about a second in a debug build


def env():
    return dict(os.environ, MLUS_STDLIB=os.path.join(ROOT, "stdlib"), SWIFT_BACKTRACE="enable=no")


class Writer:
    """A writer process whose stdout lines ('ready', 'saving N', 'saved N') are read as they come."""

    def __init__(self, args):
        self.p = subprocess.Popen([MLUS] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), cwd=ROOT)
        os.set_blocking(self.p.stdout.fileno(), False)
        self.buffer = b""
        self.saving = None
        self.saved = None

    def poll(self):
        try:
            chunk = self.p.stdout.read()
        except BlockingIOError:
            chunk = None
        if chunk:
            self.buffer += chunk
        lines = self.buffer.split(b"\n")
        self.buffer = lines.pop()
        for line in lines:
            words = line.decode().split()
            if words[:1] == ["saving"]:
                self.saving = int(words[1])
            elif words[:1] == ["saved"]:
                self.saved = int(words[1])
            elif words[:1] == ["ready"]:
                self.ready = True

    def wait_for(self, predicate, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.poll()
            if predicate():
                return True
            if self.p.poll() is not None:
                self.poll()
                return predicate()
            time.sleep(0.005)
        return False


def cycle_seconds(kind, target):
    """Seconds one save takes, measured over two saves of a calibration writer."""
    w = Writer(writer_args(kind, target, 0))
    ok = w.wait_for(lambda: w.saved is not None and w.saved >= 1, 120)
    start = time.monotonic()
    ok = ok and w.wait_for(lambda: w.saved >= 3, 120)
    w.p.kill()
    w.p.wait()
    if not ok:
        sys.exit(f"kill_write: FAIL: the {kind} writer did not save: {w.p.stderr.read().decode()[-800:]}")
    return (time.monotonic() - start) / 2


def writer_args(kind, target, first_version):
    if kind == "pth":
        return [os.path.join(HERE, "pth_writer.mlus"), target, str(PTH_TENSORS), str(first_version)]
    return [os.path.join(HERE, "cam_writer.mlus"), target[:-len(".cambricon")], str(first_version)]


def main():
    if not os.access(MLUS, os.X_OK):
        print(f"kill_write: FAIL: {MLUS} is missing: run swift build first")
        return 1
    rng = random.Random(20261127)
    work = tempfile.mkdtemp(prefix="mlus-kill-write.")
    listing = []
    strays = 0
    try:
        for kind, trials in TRIALS.items():
            folder = os.path.join(work, kind)
            os.makedirs(folder)
            target = os.path.join(folder, "model." + kind)
            calibration = os.path.join(work, "calibration." + kind)
            cycle = cycle_seconds(kind, calibration)
            on_disk = {0}              # versions the target may hold when the trial starts (0: no file yet)
            for trial in range(trials):
                first = (trial + 1) * 1000
                w = Writer(writer_args(kind, target, first))
                if not w.wait_for(lambda: getattr(w, "ready", False), 60):
                    print(f"kill_write: FAIL: {kind} writer never became ready: {w.p.stderr.read().decode()[-800:]}")
                    return 1
                # Up to 1.5 save cycles: kills land before, during and between saves (and in the fsync/rename).
                time.sleep(rng.uniform(0, 1.5 * cycle))
                w.p.send_signal(signal.SIGKILL)
                w.p.wait()
                w.poll()
                # After a reported save the target holds it, or the next one if that rename landed before the kill;
                # with no reported save, whatever it held before, or this writer's first version.
                allowed = {w.saved} if w.saved is not None else set(on_disk)
                if w.saving is not None:
                    allowed.add(w.saving)
                snapshot = os.path.join(work, f"{kind}-{trial:03d}.{kind}")
                if os.path.exists(target):
                    os.link(target, snapshot)
                listing.append(f"{kind} {snapshot} " + " ".join(str(v) for v in sorted(allowed)))
                on_disk = allowed
                for name in os.listdir(folder):
                    if ".tmp-" in name:
                        strays += 1
                        os.unlink(os.path.join(folder, name))
        with open(os.path.join(work, "listing.txt"), "w") as f:
            f.write("\n".join(listing) + "\n")
        result = subprocess.run([MLUS, os.path.join(HERE, "verify.mlus"), os.path.join(work, "listing.txt")],
                                capture_output=True, env=env(), cwd=ROOT, timeout=600)
        lines = result.stdout.decode().splitlines()
        counts = {}
        for line in lines:
            counts[line.split()[0]] = counts.get(line.split()[0], 0) + 1
        print(f"kill_write: {len(listing)} kills: " + ", ".join(f"{v} {k.lower()}" for k, v in sorted(counts.items()))
              + f"; {strays} stray temporary files")
        if result.returncode != 0:
            for line in lines:
                if not line.startswith(("OK", "ABSENT")):
                    print("  " + line)
            print(result.stderr.decode()[-1500:])
            print("kill_write: FAIL")
            return 1
        print("kill_write: ok")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
