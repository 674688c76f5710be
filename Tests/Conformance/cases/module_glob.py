import glob
import os
os.makedirs("imgs/sub", exist_ok=True)
for name in ["b.jpg", "a.jpg", "c.png", "sub/d.jpg"]:
    with open("imgs/" + name, "w") as f:
        f.write(name)
print(sorted(glob.glob("imgs/*.jpg")))
print(sorted(glob.glob("imgs/*")))
print(sorted(glob.glob("imgs/**/*.jpg", recursive=True)))
print(glob.glob("nothing/*.x"))
print(sorted(os.path.basename(p) for p in glob.glob("imgs/?.*")))
