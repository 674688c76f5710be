import Tensors

/// What a storage class global (`torch FloatStorage`, ...) or a v3 dtype global says about the bytes.
enum ElementType: Equatable {
    /// A dtype `Tensors.DType` holds.
    case dense(DType)
    /// A quantized integer representation (`qint8`, `quint8`, `qint32`) and the DType of its integers.
    case quantized(name: String, integers: DType)
    /// A dtype kept as raw bytes (complex, uint16, float8, ...).
    case opaque(name: String, itemSize: Int)
    /// `torch.storage.UntypedStorage`: bytes; the dtype comes with `_rebuild_tensor_v3`.
    case untyped

    var itemSize: Int {
        switch self {
        case .dense(let d): return d.itemSize
        case .quantized(_, let d): return d.itemSize
        case .opaque(_, let n): return n
        case .untyped: return 1
        }
    }

    var name: String {
        switch self {
        case .dense(let d): return d.rawValue
        case .quantized(let n, _), .opaque(let n, _): return n
        case .untyped: return "untyped"
        }
    }

    /// `torch.<X>Storage` class names (module `torch`, `torch.cuda` normalised by the caller).
    static func storageClass(_ name: String) -> ElementType? {
        switch name {
        case "DoubleStorage": return .dense(.float64)
        case "FloatStorage": return .dense(.float32)
        case "HalfStorage": return .dense(.float16)
        case "BFloat16Storage": return .dense(.bfloat16)
        case "LongStorage": return .dense(.int64)
        case "IntStorage": return .dense(.int32)
        case "ShortStorage": return .dense(.int16)
        case "CharStorage": return .dense(.int8)
        case "ByteStorage": return .dense(.uint8)
        case "BoolStorage": return .dense(.bool)
        case "ComplexFloatStorage": return .opaque(name: "complex64", itemSize: 8)
        case "ComplexDoubleStorage": return .opaque(name: "complex128", itemSize: 16)
        case "QInt8Storage": return .quantized(name: "qint8", integers: .int8)
        case "QUInt8Storage": return .quantized(name: "quint8", integers: .uint8)
        case "QInt32Storage": return .quantized(name: "qint32", integers: .int32)
        case "QUInt4x2Storage": return .opaque(name: "quint4x2", itemSize: 1)
        case "QUInt2x4Storage": return .opaque(name: "quint2x4", itemSize: 1)
        case "UntypedStorage": return .untyped
        default: return nil
        }
    }

    /// The storage class name the writer emits for a dense dtype (all exist in torch 1.3).
    static func storageClassName(for dtype: DType) -> String {
        switch dtype {
        case .float64: return "DoubleStorage"
        case .float32: return "FloatStorage"
        case .float16: return "HalfStorage"
        case .bfloat16: return "BFloat16Storage"
        case .int64: return "LongStorage"
        case .int32: return "IntStorage"
        case .int16: return "ShortStorage"
        case .int8: return "CharStorage"
        case .uint8: return "ByteStorage"
        case .bool: return "BoolStorage"
        }
    }

    /// `torch.<dtype>` globals (arguments of `_rebuild_tensor_v3`).
    static func dtypeGlobal(_ name: String) -> ElementType? {
        switch name {
        case "float32", "float": return .dense(.float32)
        case "float64", "double": return .dense(.float64)
        case "float16", "half": return .dense(.float16)
        case "bfloat16": return .dense(.bfloat16)
        case "int64", "long": return .dense(.int64)
        case "int32", "int": return .dense(.int32)
        case "int16", "short": return .dense(.int16)
        case "int8": return .dense(.int8)
        case "uint8": return .dense(.uint8)
        case "bool": return .dense(.bool)
        case "uint16", "bits16": return .opaque(name: name, itemSize: 2)
        case "uint32": return .opaque(name: name, itemSize: 4)
        case "uint64": return .opaque(name: name, itemSize: 8)
        case "complex32", "chalf": return .opaque(name: "complex32", itemSize: 4)
        case "complex64", "cfloat": return .opaque(name: "complex64", itemSize: 8)
        case "complex128", "cdouble": return .opaque(name: "complex128", itemSize: 16)
        case "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e8m0fnu",
             "bits8", "bits1x8", "bits2x4", "bits4x2", "float4_e2m1fn_x2",
             "uint1", "uint2", "uint3", "uint4", "uint5", "uint6", "uint7",
             "int1", "int2", "int3", "int4", "int5", "int6", "int7":
            return .opaque(name: name, itemSize: 1)
        case "qint8": return .quantized(name: "qint8", integers: .int8)
        case "quint8": return .quantized(name: "quint8", integers: .uint8)
        case "qint32": return .quantized(name: "qint32", integers: .int32)
        default: return nil
        }
    }
}
