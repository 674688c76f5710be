import re
keys = ["module.conv1.weight", "module.layer1.0.bn1.running_mean", "fc.bias"]
print([re.sub(r"^module\.", "", k) for k in keys])
m = re.match(r"(\w+)\.(\d+)\.(\w+)", "layer1.0.bn1")
print(m.group(0), m.group(1), m.group(2, 3), m.groups(), m.span(2), m.start(3), m.end())
print(re.search(r"\d+", "abc 123 def 45").group(), re.findall(r"\d+", "a1b22c333"), re.findall(r"(\w)=(\d)", "a=1, b=2"))
print(re.split(r"[,;]\s*", "a, b;c,  d"), re.split(r"(-)", "x-y-z"), re.sub(r"(\w+)@(\w+)", r"\2 at \1", "user@host"))
print(re.sub(r"\s+", " ", "  many   spaces\there "), re.subn(r"a", "A", "banana"), re.sub(r"\d", lambda m: str(int(m.group()) * 2), "a1b2"))
p = re.compile(r"(?P<name>[a-z]+)_(?P<idx>\d+)", re.IGNORECASE)
mm = p.search("Layer_12 and conv_3")
print(mm.group("name"), mm["idx"], mm.groupdict(), p.pattern, p.groups, [x.group() for x in p.finditer("a_1 b_2")])
print(re.match(r"abc", "xabc"), re.fullmatch(r"\d+", "123") is not None, re.fullmatch(r"\d+", "123a"), bool(re.search("é", "café")))
print(re.findall(r"[\w.]+\.pth", "a.pth, dir/b.c.pth x.pt"), re.escape("a.b*c"), re.sub("x*", "-", "abc") if False else "skip")
print(re.search(r"(\d+)-(\d+)?", "10-").groups(), re.search(r"(\d+)-(\d+)?", "10-").groups("none"))
