text = """It was the best of times, it was the worst of times,
it was the age of wisdom, it was the age of foolishness"""
words = [w.strip(",.").lower() for w in text.split()]
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
for w, n in top:
    print(f"{w:<10}{n:>3}")
print(len(words), len(freq), max(words, key=len))
lines = text.splitlines()
print([len(l) for l in lines], lines[1].title()[:20])
caesar = "".join(chr((ord(c) - 97 + 3) % 26 + 97) if c.isalpha() and c.islower() else c for c in "hello, world")
print(caesar)
print(" ".join(w[::-1] for w in "mlus runs python".split()))
