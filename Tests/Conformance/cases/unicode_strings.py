s = "héllo wörld 中文 ✓"
print(len(s), s[1], s[-1], s[6:11], s.upper(), s.title(), s[::-1])
print(s.find("中"), s.split(), "ü" in s, s.encode is not None)
print(repr("é"), ascii("é✓"), ord("✓"), chr(20013), "%5s|" % "中")
print(f"{'✓':>3}|{'中文':^6}|", "→".join(["a", "b"]), len("👍"), "👍"[0] == "👍")
print(sorted(["é", "e", "z", "a"]), "ß".upper() if False else "ok", "İ".lower() == "i̇")
