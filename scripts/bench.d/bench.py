"""The scripts/bench driver: every runner side by side in one run, alternating, medians and ratios.

Each runner (scripts/bench.d/runners/*) is a long-lived process that builds its model once and times its own
forwards (benchproto.py), so process start-up, imports, export and calibration are excluded from the latency.
The driver feeds all runners of one workload the same input and asks them round-robin for k forwards at a time,
rotating the order every round, so a slow drift of the machine (another build starting) hits every runner alike.
"""
import argparse
import json
import math
import os
import platform
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
RUNNERS_DIR = os.path.join(HERE, "runners")
sys.path.insert(0, HERE)
from benchrows import RUNNERS, ZOO_MODELS  # noqa: E402
import benchreport  # noqa: E402

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32).reshape(1, 3, 1, 1)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32).reshape(1, 3, 1, 1)
PREFIXES = ("READY", "TIMES", "SAVED", "ERROR")


class RunnerError(Exception):
    pass


class Runner:
    """One runner process and the line protocol with it. Every wait has a timeout; stop() always kills."""

    def __init__(self, spec, cmd, env, log_path):
        self.spec, self.cmd, self.log_path = spec, cmd, log_path
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
                                     env=env, cwd=REPO, start_new_session=True)
        self.buf = b""
        self.info = {}

    def _stderr_tail(self, lines=12):
        self.log.flush()
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])

    def expect(self, prefix, timeout):
        """The payload of the next protocol line starting with `prefix`; other output goes to the log."""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                text = line.decode("utf-8", "replace").rstrip("\r")
                if text.startswith(prefix + " ") or text == prefix:
                    return text[len(prefix):].strip()
                if text.startswith("ERROR"):
                    raise RunnerError(f"{self.spec['key']}: {text}")
                self.log.write(b"[stdout] " + line + b"\n")
            left = deadline - time.monotonic()
            if left <= 0:
                raise RunnerError(f"{self.spec['key']}: no '{prefix}' within {timeout:.0f} s (timed out)")
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    code = self.proc.wait(timeout=5)
                    raise RunnerError(f"{self.spec['key']}: exited with code {code} before '{prefix}'; "
                                      f"last lines of {self.log_path}:\n{self._stderr_tail()}")
                self.buf += chunk

    def send(self, line):
        try:
            self.proc.stdin.write((line + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as e:
            raise RunnerError(f"{self.spec['key']}: cannot write to the runner ({e}); last lines of "
                              f"{self.log_path}:\n{self._stderr_tail()}")

    def run(self, k, timeout):
        self.send(f"run {k}")
        times = json.loads(self.expect("TIMES", timeout))
        if len(times) != k or not all(isinstance(t, (int, float)) and t > 0 for t in times):
            raise RunnerError(f"{self.spec['key']}: bad TIMES answer {times!r}")
        return times

    def status(self, field):
        """A /proc/<pid>/status figure in KiB (VmHWM: peak resident set), None once the process is gone."""
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith(field + ":"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def reset_peak(self):
        """Resets VmHWM to the current RSS (Linux clear_refs 5), so the next peak covers the forwards only."""
        try:
            with open(f"/proc/{self.proc.pid}/clear_refs", "w") as f:
                f.write("5")
            return True
        except OSError:
            return False

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.send("quit")
                self.proc.wait(timeout=5)
            except (RunnerError, subprocess.TimeoutExpired):
                pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        self.log.close()


LIVE = []


def kill_all(*_):
    for r in list(LIVE):
        try:
            os.killpg(r.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    if _:
        sys.exit(130)


def runner_command(spec, path, model, work, args):
    if path.endswith(".py"):
        return [sys.executable, path, model, work, "--threads", str(args.threads)]
    return [args.mlus, path, model, work, REPO]


def runner_env(args):
    env = dict(os.environ)
    env.update(OMP_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads), PYTHONUNBUFFERED="1",
               MLUS_STDLIB=os.path.join(REPO, "stdlib"),
               MLUS_PATH=os.pathsep.join([HERE, os.path.join(REPO, "Tests", "Fixtures", "zoo")]))
    for item in args.env:
        key, _, value = item.partition("=")
        env[key] = value
    return env


def availability(spec, args, cache={}):
    """(ok, reason). A missing runner file, or a failing probe (a tiny script that tries the mlus feature the
    runner needs), makes the row 'n/a (not built yet)' instead of an error."""
    if spec["key"] in cache:
        return cache[spec["key"]]
    path = os.path.join(RUNNERS_DIR, spec["file"])
    result = (True, "")
    if not os.path.exists(path):
        result = (False, "n/a (not built yet)")
    elif spec.get("probe"):
        probe = os.path.join(RUNNERS_DIR, spec["probe"])
        try:
            p = subprocess.run([args.mlus, probe], cwd=REPO, env=runner_env(args), capture_output=True, timeout=120)
            if p.returncode != 0:
                last = (p.stderr or p.stdout).decode("utf-8", "replace").strip().splitlines()
                why = last[-1] if last else f"exit {p.returncode}"
                result = (False, f"n/a (not built yet: {why[:120]})")
        except subprocess.TimeoutExpired:
            result = (False, "n/a (probe timed out)")
    cache[spec["key"]] = result
    return result


def carseg_images():
    folder = os.path.join(REPO, "Tests", "Fixtures", "carseg", "images")
    names = sorted(n for n in os.listdir(folder) if n.lower().endswith((".jpg", ".jpeg", ".png"))
                   and "mask" not in n.lower())
    return [os.path.join(folder, n) for n in names]


def prepare(model, size, work):
    """input.npy (1x3xHxW) and calib.npy (Nx3xHxW): real carseg photos resized and normalised, or for a zoo
    model its committed input plus seeded noise of the same scale."""
    from PIL import Image
    if model == "carsegnet":
        batch = []
        for path in carseg_images()[:9]:
            img = Image.open(path).convert("RGB").resize((size, size), Image.BILINEAR)
            a = np.asarray(img, dtype=np.float32).transpose(2, 0, 1)[None] / 255.0
            batch.append(((a - MEAN) / STD).astype(np.float32))
        if not batch:
            raise SystemExit("bench: no carseg images in Tests/Fixtures/carseg/images")
        x, calib = batch[0], np.concatenate(batch[1:] or batch, 0)
    else:
        x = np.load(os.path.join(REPO, "Tests", "Fixtures", "zoo", model + "_input.npy")).astype(np.float32)
        rng = np.random.default_rng(0)
        calib = np.concatenate([x] + [rng.standard_normal(x.shape).astype(np.float32) for _ in range(7)], 0)
    np.save(os.path.join(work, "input.npy"), np.ascontiguousarray(x))
    np.save(os.path.join(work, "calib.npy"), np.ascontiguousarray(calib))


def compare(ref, got, precision):
    """max and mean |got - ref| and whether they are within the precision's tolerance (scaled by max |ref|)."""
    if got.shape != ref.shape:
        return {"ok": False, "why": f"shape {list(got.shape)} vs {list(ref.shape)}"}
    d = np.abs(got.astype(np.float64) - ref.astype(np.float64))
    scale = max(1.0, float(np.abs(ref).max()))
    mx, mean = float(d.max()), float(d.mean())
    if not np.isfinite(got).all():
        return {"ok": False, "max": mx, "mean": mean, "why": "non-finite values"}
    if precision == "fp32":
        ok = mx <= 1e-3 * scale
    elif precision == "fp16":
        ok = mx <= 3e-2 * scale
    else:  # quantized: a few pixels may flip near edges, the bulk must agree
        ok = mean <= 0.05 * scale and mx <= 0.75 * scale
    return {"ok": bool(ok), "max": mx, "mean": mean}


def bench_workload(model, size, specs, args, logdir):
    label = f"{model} {size}x{size}"
    load_start = os.getloadavg()[0]
    work = tempfile.mkdtemp(prefix=f"work-{model}-{size}-", dir=logdir)
    prepare(model, size, work)
    rows = {}
    live = []
    env = runner_env(args)
    for spec in specs:
        ok, why = availability(spec, args)
        if not ok:
            rows[spec["key"]] = {"status": why}
            continue
        path = os.path.join(RUNNERS_DIR, spec["file"])
        log = os.path.join(logdir, f"{model}-{size}-{spec['key']}.log")
        print(f"  starting {spec['key']} ...", file=sys.stderr, flush=True)
        try:
            r = Runner(spec, runner_command(spec, path, model, work, args), env, log)
        except OSError as e:
            rows[spec["key"]] = {"status": "error", "error": f"{spec['key']}: cannot start: {e}"}
            print(f"bench: {label}: {spec['key']}: cannot start: {e}", file=sys.stderr)
            continue
        try:
            LIVE.append(r)
            t0 = time.monotonic()
            r.info = json.loads(r.expect("READY", args.setup_timeout) or "{}")
            r.setup_s = time.monotonic() - t0
            r.setup_peak = r.status("VmHWM")
            live.append(r)
            rows[spec["key"]] = {"status": "ok", "info": r.info, "setup_s": round(r.setup_s, 2)}
        except RunnerError as e:
            rows[spec["key"]] = {"status": "error", "error": str(e)}
            print(f"bench: {label}: {e}", file=sys.stderr)
            r.stop()
            LIVE.remove(r)

    def drop(r, e):
        rows[r.spec["key"]] = {"status": "error", "error": str(e), "info": r.info}
        print(f"bench: {label}: {e}", file=sys.stderr)
        r.stop()
        live.remove(r)
        LIVE.remove(r)

    # Warm-up; its median sets k, the forwards per round, so that a round lasts about --round-ms.
    per_round = {}
    for r in list(live):
        try:
            warm = r.run(args.warmup, args.run_timeout * args.warmup)
            per_round[r] = max(1, math.ceil(args.round_ms / max(statistics.median(warm), 1e-3)))
            r.reset_peak()
        except RunnerError as e:
            drop(r, e)
    samples = {r: [] for r in live}
    if not args.check:
        for rnd in range(args.runs):
            order = live[rnd % len(live):] + live[:rnd % len(live)] if live else []
            for r in order:
                if r not in live:
                    continue
                try:
                    time.sleep(args.settle_ms / 1000.0)  # lets the previous runner's spinning workers go idle
                    samples[r].extend(r.run(per_round[r], args.run_timeout * per_round[r]))
                except RunnerError as e:
                    drop(r, e)
            print(f"  {label}: round {rnd + 1}/{args.runs}", file=sys.stderr, end="\r", flush=True)
        print(file=sys.stderr)
    # Outputs against PyTorch eager's.
    outputs = {}
    for r in list(live):
        out = os.path.join(work, f"out-{r.spec['key']}.npy")
        try:
            r.send(f"save {out}")
            r.expect("SAVED", args.run_timeout * 3)
            outputs[r.spec["key"]] = np.load(out)
        except (RunnerError, ValueError, OSError) as e:
            drop(r, e)
    ref = outputs.get("torch_eager")
    for r in live:
        key = r.spec["key"]
        row = rows[key]
        row["check"] = compare(ref, outputs[key], r.spec["precision"]) if ref is not None else {"ok": None}
        if samples[r]:
            t = sorted(samples[r])
            row.update(median_ms=statistics.median(t), min_ms=t[0], p90_ms=t[int(0.9 * (len(t) - 1))],
                       samples=len(t), per_round=per_round[r])
        row["peak_rss_kb"] = max(filter(None, [r.setup_peak, r.status("VmHWM")]), default=None)
        row["forward_rss_kb"] = r.status("VmHWM")
    for r in list(live):
        r.stop()
        LIVE.remove(r)
    return {"model": model, "size": size, "rows": rows, "load": [load_start, os.getloadavg()[0]]}


def main():
    ap = argparse.ArgumentParser(description="mlus against PyTorch and ONNX Runtime, side by side, alternating.")
    ap.add_argument("--quick", action="store_true", help="CarSegNet 480x480 and the zoo, 10 runs")
    ap.add_argument("--sizes", default=None, help="CarSegNet sizes, e.g. 240,480,960 (default; --quick: 480)")
    ap.add_argument("--runs", type=int, default=None, help="timed rounds per runner (default 10)")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--models", default="carsegnet,zoo", help="carsegnet, zoo, or zoo model names")
    ap.add_argument("--only", default=None, help="comma-separated runner keys (torch_eager is always run)")
    ap.add_argument("--check", action="store_true", help="no timing: compare every runner's output with "
                    "PyTorch eager's and exit 1 if one is out of tolerance")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--mlus", default=os.path.join(REPO, ".build", "release", "mlus"))
    ap.add_argument("--json", default=None, help="also write the results as JSON here")
    ap.add_argument("--logdir", default=None, help="keep runner logs and inputs here (default: a temp folder)")
    ap.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                    help="extra environment for every runner, e.g. OMP_WAIT_POLICY=passive (repeatable)")
    # Long rounds and a pause between runners: with ~40 ms rounds the first forwards after a switch (cold
    # caches, the previous runner's threads still spinning) dominated and medians ran 1.5-2x above minima.
    ap.add_argument("--round-ms", type=float, default=400.0, help="length of one runner's turn (default 400)")
    ap.add_argument("--settle-ms", type=float, default=200.0, help="pause before each turn (default 200)")
    ap.add_argument("--setup-timeout", type=float, default=900.0)
    ap.add_argument("--run-timeout", type=float, default=60.0, help="seconds allowed per forward")
    args = ap.parse_args()
    bad_env = [e for e in args.env if "=" not in e or not e.partition("=")[0]]
    if bad_env:
        raise SystemExit(f"bench: --env wants KEY=VALUE, got {bad_env}")
    args.runs = args.runs if args.runs is not None else 10
    if args.runs < 10 and not args.check:
        print("bench: note: fewer than 10 runs per runner; medians are less trustworthy", file=sys.stderr)
    sizes = [int(s) for s in (args.sizes or ("480" if args.quick else "240,480,960")).split(",") if s]
    models = []
    for m in args.models.split(","):
        if m == "carsegnet":
            models += [("carsegnet", s) for s in sizes]
        elif m == "zoo":
            models += [(z, 64) for z in ZOO_MODELS]
        elif m in ZOO_MODELS:
            models.append((m, 64))
        else:
            raise SystemExit(f"bench: unknown model {m!r} (carsegnet, zoo, {', '.join(ZOO_MODELS)})")
    specs = RUNNERS
    if args.only:
        keep = set(args.only.split(",")) | {"torch_eager"}
        unknown = keep - {s["key"] for s in RUNNERS}
        if unknown:
            raise SystemExit(f"bench: unknown runner(s) {sorted(unknown)}; known: {[s['key'] for s in RUNNERS]}")
        specs = [s for s in RUNNERS if s["key"] in keep]
    if not os.access(args.mlus, os.X_OK):
        raise SystemExit(f"bench: no mlus binary at {args.mlus} (run scripts/bench, which builds it)")
    signal.signal(signal.SIGTERM, kill_all)
    signal.signal(signal.SIGINT, kill_all)
    logdir = args.logdir or tempfile.mkdtemp(prefix="mlus-bench-")
    os.makedirs(logdir, exist_ok=True)
    print(f"bench: logs and inputs in {logdir}", file=sys.stderr)
    results = {"machine": benchreport.machine(), "versions": benchreport.versions(args.mlus),
               "settings": {"env": args.env, "threads": args.threads, "runs": args.runs, "warmup": args.warmup,
                            "round_ms": args.round_ms, "check_only": args.check},
               "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "workloads": []}
    try:
        for model, size in models:
            print(f"bench: {model} {size}x{size}", file=sys.stderr, flush=True)
            results["workloads"].append(bench_workload(model, size, specs, args, logdir))
    finally:
        kill_all()
    text = benchreport.render(results, specs)
    print(text)
    if args.json:
        tmp = args.json + ".tmp"
        with open(tmp, "w") as f:
            json.dump(results, f, indent=1)
        os.replace(tmp, args.json)
    errors = [(w["model"], w["size"], k) for w in results["workloads"] for k, row in w["rows"].items()
              if row["status"] == "error"]
    wrong = [(w["model"], w["size"], k) for w in results["workloads"] for k, row in w["rows"].items()
             if row.get("check", {}).get("ok") is False]
    if errors:
        print(f"bench: runner errors: {errors}", file=sys.stderr)
    if wrong:
        print(f"bench: outputs out of tolerance vs PyTorch eager: {wrong}", file=sys.stderr)
    sys.exit(1 if errors or (args.check and wrong) else 0)


if __name__ == "__main__":
    main()
