from collections import OrderedDict, defaultdict
import collections
state = OrderedDict()
for k, v in [("module.conv1.weight", 1), ("module.bn1.bias", 2), ("fc.weight", 3)]:
    name = k[7:] if k.startswith("module.") else k
    state[name] = v
print(list(state.items()), len(state), "conv1.weight" in state)
groups = defaultdict(list)
for word in "apple avocado banana cherry blueberry".split():
    groups[word[0]].append(word)
print(sorted(groups.items()), len(groups), "z" in groups, groups["z"], len(groups))
counts = collections.defaultdict(int)
for c in "mississippi":
    counts[c] += 1
print(sorted(counts.items()), counts.get("q"), counts["s"], dict(counts) == {"m": 1, "i": 4, "s": 4, "p": 2})
print(isinstance(counts, defaultdict), sum(counts.values()), sorted(counts.keys()))
if __name__ == "__main__":
    print("main guard runs")
