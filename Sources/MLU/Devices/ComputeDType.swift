/// The arithmetic a layer runs in on the MLU, which sets its peak throughput.
public enum ComputeDType: String, CaseIterable, Sendable, Codable, CodingKeyRepresentable {
    case int8, int16, float16, float32
}
