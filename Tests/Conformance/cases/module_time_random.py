import time
import random
t0 = time.time()
p0 = time.perf_counter()
time.sleep(0.01)
print(time.time() >= t0, time.perf_counter() - p0 > 0.005)
random.seed(1)
xs = [random.random() for _ in range(100)]
print(all(0 <= x < 1 for x in xs), len(set(xs)) > 90)
random.seed(7)
a = [random.randint(1, 6) for _ in range(50)]
random.seed(7)
b = [random.randint(1, 6) for _ in range(50)]
print(a == b, min(a) >= 1, max(a) <= 6)
items = list(range(10))
random.shuffle(items)
print(sorted(items) == list(range(10)), random.choice([5, 5, 5]), len(random.sample(range(100), 5)))
print(1 <= random.uniform(1, 2) <= 2, random.randrange(3) in (0, 1, 2))
