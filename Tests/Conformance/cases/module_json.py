import json
data = {"name": "net", "layers": [1, 2, 3], "lr": 0.01, "ok": True, "none": None, "nested": {"a": [1.5, "x"]}}
s = json.dumps(data)
print(s)
print(json.dumps(data, indent=2))
print(json.dumps(data, sort_keys=True, indent=4))
print(json.dumps([1, "two", 3.0, [], {}]), json.dumps("é\n\"q\""), json.dumps("é", ensure_ascii=False))
print(json.dumps({1: "int key", 2.5: "f"}), json.dumps((1, 2)), json.dumps(1e20), json.dumps(-0.0))
print(json.dumps({"a": 1}, separators=(",", ":")))
back = json.loads(s)
print(back == data, back["nested"]["a"], type(back["lr"]).__name__)
print(json.loads('[1, 2.5, "s", true, false, null, {"k": [ ]}]'), json.loads('"\\u00e9\\n"'), json.loads(" 7 "))
with open("data.json", "w") as f:
    json.dump(data, f, indent=1)
with open("data.json") as f:
    print(json.load(f) == data)
try:
    json.loads("{bad json}")
except ValueError as e:
    print("ValueError", e)
try:
    json.dumps({"x": {1, 2}})
except TypeError as e:
    print("TypeError", e)
