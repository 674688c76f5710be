/// One entry of a subscript `t[...]`, as Python spells it.
///
/// The script bindings map `t[0, 1:5:2, None, ..., mask]` onto `[.at(0), .range(1, 5, 2), .newAxis, .ellipsis, .tensor(mask)]`.
public enum TensorIndex: Sendable {
    /// An integer: selects one position and removes the dimension (negative counts from the end).
    case at(Int)
    /// A slice `start:stop:step`; nil parts take Python's defaults. The step must be positive.
    case range(Int?, Int?, Int?)
    /// `None`: inserts a size-1 dimension.
    case newAxis
    /// `...`: as many full slices as needed.
    case ellipsis
    /// A bool tensor (mask over the dimensions it covers) or an integer tensor (positions along one dimension).
    case tensor(Tensor)

    /// The full slice `:`.
    public static let all = TensorIndex.range(nil, nil, nil)
}
