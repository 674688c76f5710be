import sys
import argparse
p = argparse.ArgumentParser(description="port a model")
p.add_argument("model")
p.add_argument("--batch", type=int, default=1, help="batch size")
p.add_argument("--lr", type=float, default="0.5")
p.add_argument("--quantize", action="store_true")
p.add_argument("--no-fp16", dest="fp16", action="store_false")
p.add_argument("--core", choices=["MLU220", "MLU270"], default="MLU270")
p.add_argument("-v", "--verbose", action="count")
p.add_argument("--mean", type=float, nargs=3)
p.add_argument("--tag", action="append")
p.add_argument("images", nargs="*")
print(p.parse_args(["net.pth"]))
print(p.parse_args(["net.pth", "x.jpg", "y.jpg", "--batch", "4", "--quantize", "-vv", "--tag", "a", "--tag=b", "--mean", "0.1", "0.2", "0.3", "--core=MLU220", "--no-fp16", "--lr", "1e-3"]))
print(p.parse_args(["--batch=2", "-v", "m", "--mean", "1", "2", "3"]))
ns, rest = p.parse_known_args(["m", "--unknown"])
print(ns.model, rest)
for bad in [["--batch", "x", "m"], [], ["m", "--core", "MLU100"], ["m", "--bogus"]]:
    try:
        p.parse_args(bad)
    except SystemExit as e:
        print("exit", e.code)
print(vars(p.parse_args(["m", "-v"]))["verbose"], "model" in p.parse_args(["m"]))
