name = "mlus"
n = 42
pi = 3.14159265
print(f"hello {name}!", f"{n}", f"{n + 1}", f"{name.upper()}", f"{{literal}}")
print(f"{pi:.2f}", f"{pi:10.3f}|", f"{pi:<10.1f}|", f"{n:5d}|", f"{n:<5}|", f"{n:^7}|", f"{n:05d}", f"{n:+d}")
print(f"{n:x} {n:X} {n:o} {n:b} {n:#x} {n:#b} {255:08b}")
print(f"{1234567:,} {1234567.891:,.2f} {0.25:.1%} {1e6:e} {123.456:g} {1e-7:g}")
print(f"{name!r} {name!s} {name:>8} {name:*^10}")
w = 8
p = 3
print(f"{pi:{w}.{p}f}|", f"{'x':{w}}|")
print(f"{[1, 2][0]} {dict(a=1)['a']} {'q' + 'r'}")
print(f"{n=}", f"{n = }", f"{pi=:.2f}")
print(f"""multi
{n}""")
x = 5
print(f"{x if x > 3 else 0}", f"{(lambda y: y * 2)(x)}")
print(f"{3.0}", f"{1e20}", f"{-0.0}", f"{True}", f"{None}")
