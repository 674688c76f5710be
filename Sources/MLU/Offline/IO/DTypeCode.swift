import Tensors

/// The dtype codes of docs/offline-format.md (mlus's own numbering, not CNRT's).
enum DTypeCode {
    static func code(for dtype: DType) -> UInt8 {
        switch dtype {
        case .float32: return 1
        case .float16: return 2
        case .int8: return 3
        case .int16: return 4
        case .uint8: return 5
        case .int32: return 6
        case .int64: return 7
        case .bool: return 8
        // Not storable; validation rejects them before encoding.
        case .float64: return 0
        case .bfloat16: return 0
        }
    }

    static func dtype(for code: UInt8) -> DType? {
        switch code {
        case 1: return .float32
        case 2: return .float16
        case 3: return .int8
        case 4: return .int16
        case 5: return .uint8
        case 6: return .int32
        case 7: return .int64
        case 8: return .bool
        default: return nil
        }
    }

    static func code(for type: CNRTDataType) -> UInt8 {
        switch type {
        case .float32: return 1
        case .float16: return 2
        case .uint8: return 5
        }
    }

    static func cnrtDataType(for code: UInt8) -> CNRTDataType? {
        switch code {
        case 1: return .float32
        case 2: return .float16
        case 5: return .uint8
        default: return nil
        }
    }

    static func code(for order: CNRTDimOrder) -> UInt8 {
        switch order {
        case .nhwc: return 1
        case .nchw: return 2
        }
    }

    static func dimOrder(for code: UInt8) -> CNRTDimOrder? {
        switch code {
        case 1: return .nhwc
        case 2: return .nchw
        default: return nil
        }
    }
}
