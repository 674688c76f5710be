import math
print(math.pi, math.e, math.tau, math.inf, -math.inf)
print(math.sqrt(16), math.sqrt(2), math.floor(2.7), math.ceil(2.1), math.floor(-2.5), math.trunc(-2.7))
print(math.exp(1), math.log(math.e), math.log(100, 10), math.log2(8), math.log10(1000), math.log1p(0))
print(math.sin(0), math.cos(0), math.tan(0), math.atan2(1, 1), math.degrees(math.pi), math.radians(180))
print(math.hypot(3, 4), math.fabs(-3), math.pow(2, 10), math.fmod(7, 3), math.copysign(3, -1))
print(math.isnan(math.nan), math.isinf(math.inf), math.isfinite(1.0), math.isclose(0.1 + 0.2, 0.3))
print(math.gcd(12, 18), math.factorial(10), math.prod([1, 2, 3, 4]), math.fsum([0.1] * 10), sum([0.1] * 10))
print(math.floor(5), math.ceil(5.0), type(math.floor(2.5)).__name__, math.modf(2.5))
