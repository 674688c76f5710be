#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Evaluate segmentation masks (a stand-in for a porting script).

Usage: python eval.py --classes 3
"""

import argparse
import json
import math
import os
import sys


CLASS_NAMES = (
    "background",   # 0
    "car",          # 1
    "road",         # 2
)


def confusion(pred, target, num_classes):
    """Return a num_classes x num_classes confusion matrix."""
    m = [[0] * num_classes for _ in range(num_classes)]
    for p, t in zip(pred, target):
        m[t][p] += 1
    return m


def iou_per_class(m):
    ious = []
    for c in range(len(m)):
        tp = m[c][c]
        fp = sum(m[r][c] for r in range(len(m))) - tp
        fn = sum(m[c]) - tp
        denom = tp + fp + fn
        ious.append(tp / denom if denom else float("nan"))
    return ious


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, default=len(CLASS_NAMES))
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)

    pred   = [0, 1, 1, 2, 2, 2, 0, 1]
    target = [0, 1, 2, 2, 2, 1, 0, 0]
    m = confusion(pred, target, args.classes)
    ious = iou_per_class(m)

    if args.json:
        print(json.dumps({n: round(v, 4) for n, v in zip(CLASS_NAMES, ious)}, indent=2))
    else:
        for name, v in zip(CLASS_NAMES, ious):
            print("%-12s %6.2f%%" % (name, 100 * v))
    valid = [v for v in ious if not math.isnan(v)]
    print("mIoU: {:.4f}".format(sum(valid) / len(valid)))
    return 0


if __name__ == "__main__":
    main([])
    main(["--json"])
    sys.exit(0)
