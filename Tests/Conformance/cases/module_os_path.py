import os
import os.path
from os.path import join, basename
print(os.path.join("a", "b", "c.txt"), join("/root", "x"), join("a/", "b"), join("a", "/abs"))
print(os.path.basename("/x/y/z.pth"), basename("file"), os.path.dirname("/x/y/z.pth"), os.path.dirname("file"))
print(os.path.splitext("model.tar.gz"), os.path.splitext("noext"), os.path.splitext(".hidden"), os.path.split("/a/b"))
print(os.path.exists("nope"), os.path.isfile("nope"), os.path.isdir("."), os.sep)
os.makedirs("out/sub", exist_ok=True)
os.makedirs("out/sub", exist_ok=True)
print(os.path.isdir("out/sub"))
with open(os.path.join("out", "a.txt"), "w") as f:
    f.write("hello\n")
print(os.path.exists("out/a.txt"), os.path.getsize("out/a.txt"), sorted(os.listdir("out")))
os.remove("out/a.txt")
print(sorted(os.listdir("out")), os.path.normpath("a/./b/../c"), os.path.isabs("/x"))
print(os.getcwd() == os.path.abspath("."), os.environ.get("NO_SUCH_VAR_XYZ"), os.getenv("NO_SUCH_VAR_XYZ", "dflt"))
