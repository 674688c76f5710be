/// The MLU generations a model can target (`ct.set_core_version`); raw values are Cambricon's spelling.
public enum CoreVersion: String, CaseIterable, Sendable, Codable {
    case mlu220 = "MLU220"
    case mlu270 = "MLU270"
}
