"""The machine description and the markdown tables that scripts/bench prints (and docs/performance.md keeps)."""
import os
import platform
import subprocess

FLAGS = ("avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_tile",
         "amx_int8")


def machine():
    info = {"cores": os.cpu_count(), "kernel": platform.release()}
    try:
        with open("/proc/cpuinfo") as f:
            text = f.read()
        for line in text.splitlines():
            if line.startswith("model name") and "cpu" not in info:
                info["cpu"] = line.split(":", 1)[1].strip()
            if line.startswith("flags") and "flags" not in info:
                have = set(line.split(":", 1)[1].split())
                info["flags"] = {f: f in have for f in FLAGS}
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            info["memory_gib"] = round(int(f.readline().split()[1]) / 2**20, 1)
        info["load_average_at_start"] = os.getloadavg()
    except OSError:
        pass
    return info


def versions(mlus):
    v = {"python": platform.python_version()}
    for name in ("torch", "onnxruntime", "onnx", "numpy"):
        try:
            v[name] = __import__(name).__version__
        except Exception:  # a missing peer shows as an error row; the version line just omits it
            pass
    try:
        v["mlus"] = subprocess.run([mlus, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
        git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
        v["mlus_commit"] = git.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        pass
    return v


def _best(rows, specs, precision=None):
    """The fastest peer row (optionally of one precision class): (ms, key) or None."""
    cands = [(rows[s["key"]]["median_ms"], s["key"]) for s in specs if s["peer"] and s["key"] in rows
             and "median_ms" in rows[s["key"]] and (precision is None or s["precision"] == precision)]
    return min(cands) if cands else None


def _mib(kb):
    return f"{kb / 1024:.0f}" if kb else "?"


def render(results, specs):
    out = []
    m = results["machine"]
    flags = ", ".join(f for f, on in m.get("flags", {}).items() if on)
    out.append(f"Machine: {m.get('cpu', '?')}, {m.get('cores')} cores, {m.get('memory_gib', '?')} GiB; flags: {flags}; "
               f"load average at start {', '.join(f'{x:.1f}' for x in m.get('load_average_at_start', []))}")
    out.append("Versions: " + ", ".join(f"{k} {v}" for k, v in results["versions"].items()))
    s = results["settings"]
    out.append(f"Settings: {s['threads']} threads, {s['warmup']} warm-up forwards, {s['runs']} alternating rounds "
               f"of ~{s['round_ms']:.0f} ms per runner; {results['date']}"
               + (f"; extra environment: {' '.join(s['env'])}" if s.get("env") else ""))
    for w in results["workloads"]:
        rows = w["rows"]
        best = _best(rows, specs)
        out.append("")
        out.append(f"### {w['model']} 1x3x{w['size']}x{w['size']}")
        out.append("")
        if "load" in w:
            cores = results["machine"].get("cores") or 1
            busy = max(w["load"]) > cores + 0.5
            out.append(f"Load average (1 min) {w['load'][0]:.1f} at start, {w['load'][1]:.1f} at end on {cores} cores"
                       + (": **the machine was busy; medians include contention, compare min and ratios only**"
                          if busy else "") + ".")
            out.append("")
        out.append("| runner | median ms | min | p90 | × best peer | × best same-precision peer | max abs diff vs eager "
                   "| peak RSS MiB (whole run / forwards) | samples |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for spec in specs:
            row = rows.get(spec["key"], {"status": "not run"})
            if "median_ms" not in row:
                what = row["status"] if row["status"] != "error" else "ERROR: " + row["error"].splitlines()[0][:100]
                if row["status"] == "ok" and row.get("check"):
                    what = "checked only"
                chk = row.get("check", {})
                diff = f"{chk['max']:.2e}" if "max" in chk else ""
                if chk.get("ok") is False:
                    diff += " **OUT OF TOLERANCE**" + (f" ({chk['why']})" if "why" in chk else "")
                out.append(f"| {spec['label']} | {what} |  |  |  |  | {diff} |  |  |")
                continue
            ratio = f"{row['median_ms'] / best[0]:.2f}" if best else ""
            same = _best(rows, specs, "fp32" if spec["precision"] in ("fp32", "fp16") else "int8")
            same_ratio = f"{row['median_ms'] / same[0]:.2f}" if same else ""
            chk = row.get("check", {})
            diff = f"{chk['max']:.2e}" if "max" in chk else "?"
            if chk.get("ok") is False:
                diff += " **OUT OF TOLERANCE**" + (f" ({chk['why']})" if "why" in chk else "")
            out.append(f"| {spec['label']} | {row['median_ms']:.2f} | {row['min_ms']:.2f} | {row['p90_ms']:.2f} | "
                       f"{ratio} | {same_ratio} | {diff} | {_mib(row.get('peak_rss_kb'))} / "
                       f"{_mib(row.get('forward_rss_kb'))} | {row['samples']} |")
        if best:
            out.append(f"\nBest peer: {best[1]} ({best[0]:.2f} ms).")
    out.append("")
    out += targets(results)
    return "\n".join(out)


def _median(results, model, size, key):
    for w in results["workloads"]:
        if w["model"] == model and w["size"] == size:
            return w["rows"].get(key, {})
    return {}


def targets(results):
    """Issue 8's targets on CarSegNet 480x480, each met / missed / n/a with the figures."""
    row = lambda key: _median(results, "carsegnet", 480, key)  # noqa: E731
    ms = lambda key: row(key).get("median_ms")  # noqa: E731
    lines = ["### Targets (issue 8, CarSegNet 1x3x480x480)", "", "| target | figure | verdict |", "|---|---|---|"]

    def ratio_line(name, a, b, limit):
        if ms(a) is None or ms(b) is None:
            missing = a if ms(a) is None else b
            lines.append(f"| {name} | {missing}: {row(missing).get('status', 'not run')} | n/a |")
            return
        r = ms(a) / ms(b)
        lines.append(f"| {name} | {ms(a):.2f} / {ms(b):.2f} ms = {r:.2f}× | {'met' if r <= limit else 'missed'} |")

    ratio_line("fused FP32 ≤ 0.9× ONNX Runtime FP32", "mlus_fused", "ort_fp32", 0.9)
    ratio_line("fused INT8 ≤ 0.8× PyTorch INT8", "mlus_int8", "torch_int8", 0.8)
    ratio_line("eager FP32 ≤ 1.0× PyTorch eager", "mlus_eager", "torch_eager", 1.0)
    ratio_line("INT16 ≤ 2× mlus fused FP32", "mlus_int16", "mlus_fused", 2.0)
    info = row("mlus_int8").get("info", {})
    if "calibration_ms" in info and ms("mlus_eager"):
        n = info.get("calibration_images", 1)
        r = info["calibration_ms"] / (n * ms("mlus_eager"))
        lines.append(f"| calibration of N images ≤ 1.3× N eager forwards | N={n}: {info['calibration_ms']:.0f} ms vs "
                     f"{n * ms('mlus_eager'):.0f} ms = {r:.2f}× | {'met' if r <= 1.3 else 'missed'} |")
    else:
        lines.append("| calibration of 100 images ≤ 1.3× 100 eager forwards | quantizer runner not available | n/a |")
    a, b = row("mlus_int8").get("peak_rss_kb"), row("torch_eager").get("peak_rss_kb")
    if a and b:
        lines.append(f"| peak RSS of fused INT8 ≤ PyTorch eager's | {a / 1024:.0f} / {b / 1024:.0f} MiB | "
                     f"{'met' if a <= b else 'missed'} |")
    else:
        lines.append("| peak RSS of fused INT8 ≤ PyTorch eager's | fused INT8 not available | n/a |")
    for key in ("mlus_eager", "mlus_fused", "mlus_int8"):
        per_px = {}
        for w in results["workloads"]:
            if w["model"] == "carsegnet" and "median_ms" in w["rows"].get(key, {}):
                per_px[w["size"]] = w["rows"][key]["median_ms"] / (w["size"] ** 2) * 1e6
        if len(per_px) >= 2 and 240 in per_px and 960 in per_px:
            spread = max(per_px.values()) / min(per_px.values())
            figs = ", ".join(f"{s}²: {v:.1f} ns/px" for s, v in sorted(per_px.items()))
            lines.append(f"| {key}: latency linear in pixels 240²→960² (within 15%) | {figs}; spread {spread:.2f}× | "
                         f"{'met' if spread <= 1.15 else 'missed'} |")
        else:
            lines.append(f"| {key}: latency linear in pixels 240²→960² (within 15%) | needs 240, 480, 960 runs | n/a |")
    return lines
