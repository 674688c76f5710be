/// The arithmetic a layer runs in on the MLU, which sets its peak throughput.
public enum ComputeDType: String, CaseIterable, Sendable, Codable {
    case int8, int16, float16, float32
}
