import Foundation
import MLU
import Tensors

/// `cnrt`: the CNRT-style offline runtime for scripts (reference cambricon.md §6), the second half of a
/// port: `load_model` → `extract_function("subnet0")` → query I/O → `invoke` on NHWC inputs, with the
/// host helpers demos use on FP16 outputs.
enum CNRTModule {
    static func make(_ interpreter: Interpreter) -> Module {
        let m = Module(name: "cnrt")
        m.set("__doc__", .str("CNRT-style runtime for mlus offline models: load_model, extract_function, invoke (NHWC I/O)."))
        m.addFunction("load_model") { args in
            let b = try BoundArguments(args, ["path"], required: 1)
            let path = try b.string("path", "")
            return .native(CNRTModelObject(try runtimeCall("cnrt.load_model('\(path)')") { try CNRTModel.load(path: path) }))
        }
        func unary(_ name: String, _ body: @escaping (Tensor) throws -> Tensor) {
            m.addFunction(name) { args in
                let b = try BoundArguments(args, ["tensor"], required: 1)
                guard let t = try b.tensor("tensor") else { throw ScriptError.typeError("cnrt.\(name)() needs a tensor") }
                return Convert.wrap(try runtimeCall("cnrt.\(name)") { try body(t) })
            }
        }
        unary("cast_fp16_to_fp32") { try CNRT.float16ToFloat32($0) }
        unary("cast_fp32_to_fp16") { try CNRT.float32ToFloat16($0) }
        unary("nhwc_to_nchw") { try CNRT.nhwcToNCHW($0) }
        unary("nchw_to_nhwc") { try CNRT.nchwToNHWC($0) }
        unary("trans_order_and_cast") { try CNRT.nhwcToNCHWFloat32($0) }
        return m
    }

    /// Runtime and reader errors as RuntimeErrors: "<call>: <ErrorType>.<case>: <message>".
    static func runtimeCall<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ScriptError {
            throw e
        } catch {
            throw ScriptError.runtimeError("\(what): \(errorName(error)): \(error)")
        }
    }

    /// `OfflineFormatError.badMagic`: the error's type and case, for messages that name the check that failed.
    static func errorName(_ error: Error) -> String {
        let type = String(describing: Swift.type(of: error))
        if let label = Mirror(reflecting: error).children.first?.label { return "\(type).\(label)" }
        return "\(type).\(error)".split(separator: "(").first.map(String.init) ?? type
    }
}
