/// Which roof limits a layer.
public enum RooflineBound: String, Sendable {
    case compute, memory
}
