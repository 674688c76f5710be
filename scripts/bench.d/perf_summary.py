"""Groups `perf report --no-children --sort dso,sym --stdio -g none` output into the engine's cost centres.
Usage: perf report ... | perf_summary.py   (prints the categories, then the top symbols)."""
import collections
import re
import sys

RULES = [  # (category, dso regex, symbol regex), first match wins
    ("OpenMP runtime (libgomp: spin-waiting at barriers / for work)", r"libgomp", r""),
    ("oneDNN JIT kernels: convolution (brgemm/conv)", r"JIT|perf-", r"conv|brgemm|brg"),
    ("oneDNN JIT kernels: reorder (layout conversion)", r"JIT|perf-", r"reorder"),
    ("oneDNN JIT code (unlabelled)", r"JIT|perf-", r""),
    ("oneDNN library (non-JIT)", r"libdnnl", r""),
    ("bilinear resize (CKernels bilinear_rows)", r"mlus", r"bilinear"),
    ("BatchNorm / channel affine (CKernels affine_range)", r"mlus", r"affine"),
    ("ReLU / sigmoid / unary (CKernels unary_range)", r"mlus", r"unary"),
    ("binary element-wise (CKernels)", r"mlus", r"binary"),
    ("cat / NHWC helpers (CKernels)", r"mlus", r"cat_|nhwc"),
    ("random numbers (profile input only)", r"mlus|libm", r"Generator|normalFloats|__cos|__sin|__log"),
    ("mlus Swift: interpreter, tensors, dispatch", r"^mlus$", r""),
    ("Swift runtime (retain/release, exclusivity, allocation)", r"libswift|libFoundation|libdispatch", r""),
    ("memcpy/memset/malloc (libc)", r"libc", r""),
    ("kernel: page faults, zeroing fresh pages, scheduling", r"kernel", r""),
]


def main():
    cats, syms, total = collections.Counter(), collections.Counter(), 0.0
    for line in sys.stdin:
        m = re.match(r"\s*([\d.]+)%\s+(\S.*?)\s{2,}\[(.)\]\s+(.*)$", line)
        if not m:
            continue
        pct, dso, sym = float(m.group(1)), m.group(2).strip(), m.group(4).strip()
        total += pct
        syms[f"{dso} {sym}"] += pct
        for cat, dre, sre in RULES:
            if re.search(dre, dso) and re.search(sre, sym):
                cats[cat] += pct
                break
        else:
            cats["other (" + dso + ")"] += pct
    print(f"{'cost centre':<62} share of CPU samples")
    for cat, pct in cats.most_common():
        print(f"{cat:<62} {pct:6.1f}%")
    print(f"\ntop symbols (total {total:.1f}%)")
    for s, pct in syms.most_common(25):
        print(f"{pct:6.2f}%  {s[:110]}")


main()
