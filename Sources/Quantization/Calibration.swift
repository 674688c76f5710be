import NN
import Tensors

/// Runs a `gen_quant=True` model on every input (Catch's calibration is just forwards on the CPU), with a
/// progress line on stderr once the run lasts more than two seconds.
///
/// - Returns: the number of inputs run.
@discardableResult
public func calibrate<S: Sequence>(_ model: Module, inputs: S, label: String = "calibrating") throws -> Int where S.Element == Tensor {
    var progress = ProgressLine(label: label, total: inputs.underestimatedCount > 0 ? inputs.underestimatedCount : nil)
    defer { progress.finish() }
    var done = 0
    for x in inputs {
        _ = try model.forward(x)
        done += 1
        progress.update(done)
    }
    return done
}
