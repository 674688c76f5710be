import Checkpoint
import Foundation
import Imaging
import Tensors

/// `numpy` (the part porting scripts use: `np.load`/`np.save` of `.npy` files) and `image`
/// (PNG/JPEG files as uint8 HWC tensors, the way PIL/OpenCV hand them to preprocessing).
enum MediaModules {
    static func makeNumpy(_ interpreter: Interpreter) -> Module {
        let m = Module(name: "numpy")
        m.addFunction("load") { args in
            let path = try args.string(0, "file")
            do { return Convert.wrap(try loadNpy(contentsOf: URL(fileURLWithPath: path))) } catch {
                if !FileManager.default.fileExists(atPath: path) { throw ScriptError.fileNotFoundError("[Errno 2] No such file or directory: '\(path)'") }
                throw ScriptError.valueError("numpy.load('\(path)'): \(error)")
            }
        }
        m.addFunction("save") { args in
            let path = try args.string(0, "file")
            let t = try Convert.tensor(try args.required(1, "arr"), "arr")
            try bridge { try saveNpy(t.to(.cpu), to: URL(fileURLWithPath: path.hasSuffix(".npy") ? path : path + ".npy")) }
            return .none
        }
        m.addFunction("array") { args in
            let v = try args.required(0, "object")
            if let t = Convert.tensorOrNil(v) { return Convert.wrap(t.clonedContiguous()) }
            return Convert.wrap(try Convert.tensorFromData(v, dtype: nil, interpreter: args.interpreter))
        }
        for (name, dtype) in [("float32", DType.float32), ("float16", .float16), ("uint8", .uint8), ("int64", .int64), ("int32", .int32), ("bool_", .bool)] {
            m.set(name, .native(DTypeObject(dtype)))
        }
        return m
    }

    static func makeImage(_ interpreter: Interpreter) -> Module {
        let m = Module(name: "image")
        m.set("__doc__", .str("PNG/JPEG images as uint8 tensors of shape [H, W, C]."))
        m.addFunction("read") { args in
            let b = try BoundArguments(args, ["path", "channels"], required: 1)
            let path = try b.string("path", "")
            do { return Convert.wrap(try ImageCodec.read(contentsOf: URL(fileURLWithPath: path), channels: try b.int("channels", 0))) } catch let e as ImageError {
                if !FileManager.default.fileExists(atPath: path) { throw ScriptError.fileNotFoundError("[Errno 2] No such file or directory: '\(path)'") }
                throw ScriptError.valueError(e.description)
            }
        }
        m.addFunction("write") { args in
            let b = try BoundArguments(args, ["path", "image"], required: 2)
            let path = try b.string("path", "")
            guard let t = try b.tensor("image") else { throw ScriptError.typeError("image.write() needs a tensor") }
            do { try ImageCodec.writePNG(t.to(.cpu), to: URL(fileURLWithPath: path)) } catch let e as ImageError {
                throw ScriptError.valueError(e.description)
            }
            return .none
        }
        return m
    }
}
