rows = [("conv1", 3, 64, 1.234567), ("bn1", 64, 64, 0.5), ("fc", 512, 10, 12.0)]
print(f"{'layer':<8}|{'in':>5}|{'out':>5}|{'ms':>8}")
print("-" * 29)
for name, cin, cout, ms in rows:
    print(f"{name:<8}|{cin:>5}|{cout:>5}|{ms:>8.3f}")
total = sum(r[3] for r in rows)
print(f"{'total':<8}|{'':>5}|{'':>5}|{total:>8.3f}")
print("%-8s|%5d|%5d|%8.3f" % rows[0])
print("{:=^29}".format(" done "))
