/// Which Python globals a pickle may name, and what each one means to the loader.
///
/// Mirrors `torch.load(weights_only=True)` (tensor rebuild functions, storage and dtype types,
/// `OrderedDict`, `set`, `_codecs.encode`, ...) plus the classes of whole-model pickles, which are
/// kept as inert `ObjectRecord`s. Nothing is ever imported or called: a global that is not listed
/// here is an error naming it, before anything else happens.
enum GlobalMeaning: Equatable {
    case orderedDict, counter, set, frozenset, bytearray, bytes, complex, codecsEncode
    case rebuildTensor, rebuildTensorV2, rebuildTensorV3, rebuildParameter, rebuildParameterWithState
    case rebuildQTensor, rebuildFromTypeV2
    /// Allow-listed by torch but producing something mlus cannot hold (sparse, nested, meta ...).
    case unsupportedRebuild(String)
    case torchSize, torchDevice, tensorClass, parameterClass, getLayout
    case storageClass(ElementType)
    case dtype(ElementType)
    case qscheme(String)
    case layout(String)
    /// A class of a pickled module (`__main__.Net`, `torch.nn.modules.conv.Conv2d`, ...): inert record.
    case moduleClass
    /// A function a module stores as an attribute (`self.act = F.relu`): kept as a name, never called.
    case functionReference
}

/// Options that widen or narrow what the pickle reader accepts.
public struct PickleReadOptions: Sendable {
    /// Accept classes of user modules (`carsegnet.CarSegNet`) as inert records. On by default:
    /// whole-model pickles name the module that defined the class, which no list can know.
    public var allowsUserModuleClasses: Bool
    /// Deepest container nesting accepted. Real checkpoints nest a few dozen levels (a whole ResNet
    /// about 20); the limit keeps the recursive conversion far from the thread's stack size.
    public var maxDepth: Int
    /// Most container objects one pickle may create, and most values on its stack or memo (bounds memory
    /// on hostile input; a 100 000-tensor whole model needs about a million).
    public var maxObjects: Int
    /// Most values the loaded tree may hold once shared references are expanded (a value memoised once and
    /// referenced twice counts twice). Bounds a "billion laughs" pickle — a few hundred bytes of nested
    /// `[x, x]` references — that every consumer walking the tree (state-dict extraction, `torch.load` in
    /// scripts) would otherwise expand exponentially. Real checkpoints share only tensors and stay far below.
    public var maxExpandedValues: Int

    public init(allowsUserModuleClasses: Bool = true, maxDepth: Int = 256, maxObjects: Int = 10_000_000,
                maxExpandedValues: Int = 4_000_000) {
        self.allowsUserModuleClasses = allowsUserModuleClasses
        self.maxDepth = maxDepth
        self.maxObjects = maxObjects
        self.maxExpandedValues = maxExpandedValues
    }
}

enum GlobalAllowList {
    /// Python 2 → 3 module renames (`_compat_pickle`) and torch's own `torch.tensor` → `torch._tensor`.
    static func normalised(module: String, name: String) -> GlobalRef {
        var m = module
        switch module {
        case "__builtin__": m = "builtins"
        case "copy_reg": m = "copyreg"
        case "torch.tensor": m = "torch._tensor"
        default: break
        }
        if m.hasPrefix("torch.cuda"), name.hasSuffix("Storage") { m = "torch" }
        return GlobalRef(module: m, name: name)
    }

    /// Top-level modules whose classes are never accepted as module classes (standard library,
    /// process/IO/code-loading modules, numpy and torch internals): naming one is an error.
    static let refusedTopLevelModules: Set<String> = [
        "os", "posix", "nt", "sys", "subprocess", "builtins", "__builtin__", "shutil", "socket", "importlib",
        "pickle", "_pickle", "cPickle", "marshal", "ctypes", "runpy", "code", "codeop", "types", "functools",
        "operator", "io", "_io", "pty", "multiprocessing", "threading", "_thread", "webbrowser", "platform",
        "tempfile", "pathlib", "glob", "asyncio", "signal", "urllib", "http", "ftplib", "smtplib", "telnetlib",
        "commands", "popen2", "timeit", "pdb", "bdb", "trace", "profile", "cProfile", "inspect", "gc",
        "weakref", "copyreg", "copy_reg", "copy", "zipimport", "pkgutil", "site", "sysconfig", "distutils",
        "setuptools", "pip", "tkinter", "sqlite3", "shelve", "dbm", "logging", "collections", "_codecs",
        "codecs", "numpy", "torch", "ast", "dis", "imp", "zipfile", "tarfile", "select", "selectors",
        "mmap", "resource", "fcntl", "termios", "pwd", "grp", "spwd", "crypt", "uuid", "random", "string",
        "re", "json", "csv", "xml", "email", "mailbox", "ssl", "hashlib", "hmac", "secrets", "base64",
        "binascii", "struct", "array", "queue", "sched", "contextlib", "abc", "atexit", "traceback",
        "warnings", "linecache", "tokenize", "keyword", "typing", "dataclasses", "enum", "numbers", "math",
        "cmath", "decimal", "fractions", "statistics", "itertools", "heapq", "bisect", "_posixsubprocess",
        "_socket", "_ctypes", "_osx_support", "ntpath", "posixpath", "genericpath", "stat", "errno",
        "__main__builtins", "venv", "ensurepip", "idlelib", "lib2to3", "unittest", "doctest", "pydoc",
        "xmlrpc", "wsgiref", "socketserver", "imaplib", "poplib", "nntplib", "ipaddress", "getpass",
        "cgi", "cgitb", "optparse", "argparse", "getopt", "readline", "rlcompleter", "curses", "faulthandler",
        "tracemalloc", "sysconfig", "builtin", "operator", "dill", "joblib", "cloudpickle", "yaml",
    ]

    /// What `ref` means, or `nil` when it is not allowed.
    static func meaning(of ref: GlobalRef, options: PickleReadOptions) -> GlobalMeaning? {
        let m = ref.module, n = ref.name
        switch (m, n) {
        case ("collections", "OrderedDict"): return .orderedDict
        case ("collections", "Counter"): return .counter
        case ("builtins", "set"): return .set
        case ("builtins", "frozenset"): return .frozenset
        case ("builtins", "bytearray"): return .bytearray
        case ("builtins", "bytes"): return .bytes
        case ("builtins", "complex"): return .complex
        case ("_codecs", "encode"): return .codecsEncode
        case ("torch._utils", "_rebuild_tensor"): return .rebuildTensor
        case ("torch._utils", "_rebuild_tensor_v2"): return .rebuildTensorV2
        case ("torch._utils", "_rebuild_tensor_v3"): return .rebuildTensorV3
        case ("torch._utils", "_rebuild_parameter"): return .rebuildParameter
        case ("torch._utils", "_rebuild_parameter_with_state"): return .rebuildParameterWithState
        case ("torch._utils", "_rebuild_qtensor"): return .rebuildQTensor
        case ("torch._tensor", "_rebuild_from_type_v2"): return .rebuildFromTypeV2
        case ("torch._utils", "_rebuild_sparse_tensor"), ("torch._utils", "_rebuild_nested_tensor"),
             ("torch._utils", "_rebuild_meta_tensor_no_storage"), ("torch._utils", "_rebuild_wrapper_subclass"),
             ("torch._utils", "_rebuild_device_tensor_from_cpu_tensor"),
             ("torch._utils", "_rebuild_device_tensor_from_numpy"):
            return .unsupportedRebuild(n)
        case ("torch", "Size"): return .torchSize
        case ("torch", "device"): return .torchDevice
        case ("torch", "Tensor"), ("torch._tensor", "Tensor"): return .tensorClass
        case ("torch.nn.parameter", "Parameter"): return .parameterClass
        case ("torch.serialization", "_get_layout"): return .getLayout
        case ("torch", "per_tensor_affine"), ("torch", "per_tensor_symmetric"), ("torch", "per_channel_affine"),
             ("torch", "per_channel_symmetric"), ("torch", "per_channel_affine_float_qparams"):
            return .qscheme(n)
        case ("torch", "strided"), ("torch", "sparse_coo"), ("torch", "sparse_csr"), ("torch", "_mkldnn"):
            return .layout(n)
        default: break
        }
        if m == "torch" || m == "torch.storage" {
            if n.hasSuffix("Storage"), n != "TypedStorage", let t = ElementType.storageClass(n) { return .storageClass(t) }
            if m == "torch", let t = ElementType.dtypeGlobal(n) { return .dtype(t) }
            return nil
        }
        if m == "torch.nn.functional", !n.hasPrefix("_") { return .functionReference }
        if m == "__main__" || m.hasPrefix("torch.nn.modules.") || m == "torchvision" || m.hasPrefix("torchvision.models") {
            return isClassName(n) ? .moduleClass : nil
        }
        guard options.allowsUserModuleClasses else { return nil }
        let top = String(m.split(separator: ".", maxSplits: 1).first ?? "")
        if top.isEmpty || refusedTopLevelModules.contains(top) || top.hasPrefix("_") { return nil }
        return isClassName(n) ? .moduleClass : nil
    }

    /// Python class names are CapWords; functions (`system`, `eval`) are not accepted as classes.
    static func isClassName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        return ("A"..."Z").contains(first) && name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }
}
