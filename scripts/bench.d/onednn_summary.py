"""Sums a ONEDNN_VERBOSE=1 log (oneDNN 2.x 'onednn_verbose,exec,...' lines) by kind of primitive call, per forward.
Usage: onednn_summary.py LOG FORWARDS   (FORWARDS: how many forwards the log's exec lines cover)."""
import collections
import sys

log, forwards = sys.argv[1], int(sys.argv[2])
kinds = collections.defaultdict(lambda: [0, 0.0])
for line in open(log, errors="replace"):
    if not line.startswith(("onednn_verbose,exec", "dnnl_verbose,exec")):
        continue
    f = line.rstrip().split(",")
    prim, impl, mds, ms = f[3], f[4], f[6], float(f[-1])
    if prim == "reorder":
        src, dst = (m.split(":")[3] if len(m.split(":")) > 3 else "?" for m in mds.split(" ")[:2])
        weights = any(c.isdigit() for c in dst) or dst[:1].isupper()
        kind = f"reorder weights {src}->{dst.rstrip('0123456789a') or dst}" if weights else f"reorder activations {src}->{dst}"
    else:
        kind = f"{prim} ({impl})"
    kinds[kind][0] += 1
    kinds[kind][1] += ms
total = sum(v[1] for v in kinds.values())
print(f"{'oneDNN calls per forward':<60} {'calls':>6} {'ms':>8} {'share':>6}")
for kind, (n, ms) in sorted(kinds.items(), key=lambda kv: -kv[1][1]):
    print(f"{kind:<60} {n / forwards:6.0f} {ms / forwards:8.2f} {ms / total:6.1%}")
print(f"{'total inside oneDNN':<60} {'':>6} {total / forwards:8.2f}")
