import Foundation
import NN
import Tensors

/// Deep copy of a model, for `quantize_dynamic_mlu(..., inplace=False)` (Catch deep-copies too).
///
/// Layers of module NN are rebuilt with their hyper-parameters; containers are rebuilt around copied
/// children; modules without parameters, buffers or children (activations, pooling) are stateless and
/// shared. Modules defined by another layer (script classes) are rebuilt by a shell maker that layer
/// registers; the copier then fills in copied parameters, buffers and children.
public enum ModuleCopier {
    /// Makes an empty module of the same kind as the argument (no children), or nil when it is not its kind.
    public typealias ShellMaker = (Module) throws -> Module?

    private static let lock = NSLock()
    nonisolated(unsafe) private static var shellMakers: [ShellMaker] = []

    /// Registers a shell maker (the script bindings register one for script classes).
    public static func register(shellMaker: @escaping ShellMaker) {
        lock.lock(); defer { lock.unlock() }
        shellMakers.append(shellMaker)
    }

    /// A deep copy of `module`: no parameter, buffer or stateful submodule is shared with the original.
    public static func deepCopy(_ module: Module) throws -> Module {
        var memo: [ObjectIdentifier: Module] = [:]
        let copy = try copyNode(module, memo: &memo)
        copy.train(module.training)
        return copy
    }

    private static func copyNode(_ m: Module, memo: inout [ObjectIdentifier: Module]) throws -> Module {
        if let done = memo[ObjectIdentifier(m)] { return done }
        let ownState = !m.namedParameters(recurse: false).isEmpty || !m.namedBuffers(recurse: false).isEmpty
        if !ownState && m.children().isEmpty && !isContainer(m) {
            memo[ObjectIdentifier(m)] = m
            return m
        }
        let shell = try makeShell(m)
        shell.scriptClassName = m.scriptClassName
        memo[ObjectIdentifier(m)] = shell
        for (name, t) in m.namedParameters(recurse: false) { try shell.registerParameter(name, t.clonedContiguous()) }
        let persistent = Set(m.stateDict().map(\.key).filter { !$0.contains(".") })
        for (name, t) in m.namedBuffers(recurse: false) {
            try shell.registerBuffer(name, t.clonedContiguous(), persistent: persistent.contains(name))
        }
        for (name, child) in m.namedChildren() { try shell.registerModule(name, try copyNode(child, memo: &memo)) }
        return shell
    }

    private static func isContainer(_ m: Module) -> Bool { m is Sequential || m is ModuleList || m is ModuleDict }

    private static func makeShell(_ m: Module) throws -> Module {
        lock.lock(); let makers = shellMakers; lock.unlock()
        for make in makers { if let shell = try make(m) { return shell } }
        switch m {
        case let c as MLUQuantizedLayer:
            throw QuantizationError.invalidArgument("'\(c.quantization.name)' is already quantized")
        case let c as ConvTranspose2d:
            return try ConvTranspose2d(c.inChannels, c.outChannels, kernelSize: c.kernelSize, stride: c.stride, padding: c.padding,
                                       outputPadding: c.outputPadding, groups: c.groups, bias: c.parameter("bias") != nil,
                                       dilation: c.dilation, paddingMode: c.paddingMode)
        case let c as Conv2d:
            return try Conv2d(c.inChannels, c.outChannels, kernelSize: c.kernelSize, stride: c.stride, padding: c.padding,
                              dilation: c.dilation, groups: c.groups, bias: c.parameter("bias") != nil, paddingMode: c.paddingMode)
        case let c as Conv1d:
            return try Conv1d(c.inChannels, c.outChannels, kernelSize: c.kernelSize[0], stride: c.stride[0], padding: c.padding[0],
                              dilation: c.dilation[0], groups: c.groups, bias: c.parameter("bias") != nil, paddingMode: c.paddingMode)
        case let l as Linear:
            return try Linear(l.inFeatures, l.outFeatures, bias: l.parameter("bias") != nil)
        case let b as BatchNorm2d:
            return try BatchNorm2d(b.numFeatures, eps: b.eps, momentum: b.momentum, affine: b.affine, trackRunningStats: b.trackRunningStats)
        case let b as BatchNorm1d:
            return try BatchNorm1d(b.numFeatures, eps: b.eps, momentum: b.momentum, affine: b.affine, trackRunningStats: b.trackRunningStats)
        case is Sequential: return try Sequential([])
        case is ModuleList: return try ModuleList([])
        case is ModuleDict: return try ModuleDict([])
        default:
            if type(of: m) == Module.self { return Module() }
            throw QuantizationError.invalidArgument("cannot deep-copy a \(m.typeName) (a layer with state mlus does not know how to rebuild); pass inplace=True")
        }
    }
}
