from pathlib import Path
import os
p = Path("data") / "images" / "car_01.tar.gz"
print(p, repr(p), p.name, p.suffix, p.suffixes, p.stem, p.parent, p.parent.parent, p.parts)
print(p.with_suffix(".png"), p.with_name("x.jpg"), Path("/abs/dir").is_absolute(), Path("rel").is_absolute())
print(Path("a") / "b" == Path("a/b"), str(Path("a/./b/../c")), Path(), Path("/"), Path("/").name)
out = Path("out") / "masks"
out.mkdir(parents=True, exist_ok=True)
out.mkdir(parents=True, exist_ok=True)
(out / "m1.txt").write_text("mask one")
(out / "m2.txt").write_text("mask two")
(out / "note.md").write_text("# note")
print(out.exists(), out.is_dir(), (out / "m1.txt").is_file(), (out / "m1.txt").read_text())
print([q.name for q in out.iterdir()], [q.name for q in out.glob("*.txt")], sorted(q.name for q in Path("out").rglob("*.md")))
with (out / "m1.txt").open() as f:
    print(f.read())
with open(out / "m2.txt") as f:
    print(f.read(), os.path.exists(out / "m2.txt"), os.path.basename(out / "m2.txt"))
(out / "m1.txt").unlink()
print(sorted(os.listdir(out)), Path.cwd() == Path(os.getcwd()))
