/// `pathlib`, written in mlus itself (POSIX paths over `os`, `os.path` and `glob`).
let pathlibSource = #"""
"""pathlib for mlus: PurePosixPath-style paths over os, os.path and glob."""
import os
import glob as _glob


class Path:
    def __init__(self, *parts):
        strs = []
        for p in parts:
            strs.append(p.__fspath__() if isinstance(p, Path) else p)
        joined = os.path.join(*strs) if strs else "."
        kept = [q for q in joined.split("/") if q and q != "."]
        body = "/".join(kept)
        if joined.startswith("/"):
            self._str = "/" + body
        else:
            self._str = body or "."

    def __fspath__(self):
        return self._str

    def __str__(self):
        return self._str

    def __repr__(self):
        return "PosixPath(" + repr(self._str) + ")"

    def __eq__(self, other):
        return isinstance(other, Path) and self._str == other._str

    def __lt__(self, other):
        return self._str < other._str

    def __hash__(self):
        return hash(self._str)

    def __truediv__(self, other):
        return Path(self._str, other)

    def __rtruediv__(self, other):
        return Path(other, self._str)

    @property
    def name(self):
        return os.path.basename(self._str) if self._str not in ("/", ".") else ""

    @property
    def suffix(self):
        n = self.name
        i = n.rfind(".")
        return n[i:] if 0 < i < len(n) - 1 else ""

    @property
    def suffixes(self):
        n = self.name.lstrip(".")
        return ["." + s for s in n.split(".")[1:]] if not n.endswith(".") else []

    @property
    def stem(self):
        n = self.name
        s = self.suffix
        return n[:-len(s)] if s else n

    @property
    def parent(self):
        d = os.path.dirname(self._str)
        return Path(d if d else ".")

    @property
    def parts(self):
        if self._str.startswith("/"):
            return ("/",) + tuple(p for p in self._str.split("/") if p)
        return tuple(p for p in self._str.split("/") if p and p != ".")

    def with_suffix(self, suffix):
        return self.parent / (self.stem + suffix)

    def with_name(self, name):
        return self.parent / name

    def is_absolute(self):
        return self._str.startswith("/")

    def absolute(self):
        return Path(os.path.abspath(self._str))

    def resolve(self):
        return Path(os.path.realpath(self._str))

    def exists(self):
        return os.path.exists(self._str)

    def is_file(self):
        return os.path.isfile(self._str)

    def is_dir(self):
        return os.path.isdir(self._str)

    def mkdir(self, mode=511, parents=False, exist_ok=False):
        if parents:
            os.makedirs(self._str, exist_ok=exist_ok)
        elif exist_ok and os.path.isdir(self._str):
            return
        else:
            os.mkdir(self._str)

    def iterdir(self):
        for n in sorted(os.listdir(self._str)):
            yield self / n

    def glob(self, pattern):
        for p in sorted(_glob.glob(os.path.join(self._str, pattern), recursive="**" in pattern)):
            yield Path(p)

    def rglob(self, pattern):
        return self.glob("**/" + pattern)

    def read_text(self, encoding=None):
        with open(self._str) as f:
            return f.read()

    def write_text(self, data, encoding=None):
        with open(self._str, "w") as f:
            return f.write(data)

    def open(self, mode="r", encoding=None):
        return open(self._str, mode)

    def unlink(self, missing_ok=False):
        if missing_ok and not os.path.exists(self._str):
            return
        os.remove(self._str)

    def rmdir(self):
        os.rmdir(self._str)

    def stat(self):
        raise NotImplementedError("Path.stat() is not supported in mlus")

    @classmethod
    def cwd(cls):
        return cls(os.getcwd())

    @classmethod
    def home(cls):
        return cls(os.path.expanduser("~"))


PosixPath = Path
PurePath = Path
PurePosixPath = Path
"""#
