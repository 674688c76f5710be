import NN
import Ops
import Tensors

// The fixture models of Tests/Fixtures/{carseg/carsegnet.py, zoo/tiny_models.py}, written with the NN API
// the way the script bindings will build them: attributes registered in PyTorch's order.

final class ConvBNReLU: Sequential {
    init(_ cin: Int, _ cout: Int, stride: Int = 1) throws {
        try super.init([Conv2d(cin, cout, kernelSize: [3], stride: [stride], padding: [1], bias: false),
                        BatchNorm2d(cout), ReLU(inplace: true)])
    }
}

final class CarSegNet: Module {
    override init() {
        super.init()
    }

    static func make() throws -> CarSegNet {
        let m = CarSegNet()
        try m.setAttribute("enc1", .module(Sequential([ConvBNReLU(3, 16, stride: 2), ConvBNReLU(16, 16)])))
        try m.setAttribute("enc2", .module(Sequential([ConvBNReLU(16, 32, stride: 2), ConvBNReLU(32, 32)])))
        try m.setAttribute("enc3", .module(Sequential([ConvBNReLU(32, 64, stride: 2), ConvBNReLU(64, 64)])))
        try m.setAttribute("enc4", .module(Sequential([ConvBNReLU(64, 128, stride: 2), ConvBNReLU(128, 128)])))
        try m.setAttribute("dec3", .module(ConvBNReLU(128 + 64, 64)))
        try m.setAttribute("dec2", .module(ConvBNReLU(64 + 32, 32)))
        try m.setAttribute("dec1", .module(ConvBNReLU(32 + 16, 16)))
        try m.setAttribute("head", .module(Conv2d(16, 1, kernelSize: [1])))
        return m
    }

    func encoder4(_ x: Tensor) throws -> (Tensor, Tensor, Tensor, Tensor) {
        let e1 = try sub("enc1")(x)
        let e2 = try sub("enc2")(e1)
        let e3 = try sub("enc3")(e2)
        return (e1, e2, e3, try sub("enc4")(e3))
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        let (e1, e2, e3, e4) = try encoder4(x)
        func up(_ t: Tensor) throws -> Tensor { try Functional.interpolate(t, scaleFactor: [2.0], mode: "bilinear", alignCorners: false) }
        let d3 = try sub("dec3")(TensorOps.cat([up(e4), e3], dim: 1))
        let d2 = try sub("dec2")(TensorOps.cat([up(d3), e2], dim: 1))
        let d1 = try sub("dec1")(TensorOps.cat([up(d2), e1], dim: 1))
        let logit = try Functional.interpolate(sub("head")(d1), size: [x.shape[2], x.shape[3]], mode: "bilinear", alignCorners: false)
        return try TensorOps.index(Functional.sigmoid(logit), [.at(0), .at(0)])
    }
}

final class ResidualBlock: Module {
    init(_ cin: Int, _ cout: Int, stride: Int) throws {
        super.init()
        try setAttribute("conv1", .module(Conv2d(cin, cout, kernelSize: [3], stride: [stride], padding: [1], bias: false)))
        try setAttribute("bn1", .module(BatchNorm2d(cout)))
        try setAttribute("conv2", .module(Conv2d(cout, cout, kernelSize: [3], stride: [1], padding: [1], bias: false)))
        try setAttribute("bn2", .module(BatchNorm2d(cout)))
        if stride != 1 || cin != cout {
            try setAttribute("down", .module(Sequential([Conv2d(cin, cout, kernelSize: [1], stride: [stride], bias: false), BatchNorm2d(cout)])))
        }
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        let idt = try child("down").map { try $0(x) } ?? x
        var y = try Functional.relu(sub("bn1")(sub("conv1")(x)))
        y = try sub("bn2")(sub("conv2")(y))
        return try Functional.relu(TensorOps.add(y, idt))
    }
}

final class TinyResNet: Module {
    override init() { super.init() }

    static func make() throws -> TinyResNet {
        let m = TinyResNet()
        try m.setAttribute("stem", .module(Sequential([Conv2d(3, 16, kernelSize: [7], stride: [2], padding: [3], bias: false),
                                                      BatchNorm2d(16), ReLU(inplace: true)])))
        try m.setAttribute("pool", .module(MaxPool2d(kernelSize: [3], stride: [2], padding: [1])))
        try m.setAttribute("layer1", .module(ResidualBlock(16, 16, stride: 1)))
        try m.setAttribute("layer2", .module(ResidualBlock(16, 32, stride: 2)))
        try m.setAttribute("avgpool", .module(AdaptiveAvgPool2d(outputSize: [1, 1])))
        try m.setAttribute("fc", .module(Linear(32, 10)))
        return m
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        var y = try sub("pool")(sub("stem")(x))
        y = try sub("layer2")(sub("layer1")(y))
        y = try TensorOps.flatten(sub("avgpool")(y), startDim: 1)
        return try sub("fc")(y)
    }
}

final class SqueezeExcite: Module {
    init(_ c: Int, r: Int = 4) throws {
        super.init()
        try setAttribute("fc1", .module(Conv2d(c, c / r, kernelSize: [1])))
        try setAttribute("fc2", .module(Conv2d(c / r, c, kernelSize: [1])))
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        var s = try Functional.adaptiveAvgPool2d(x, outputSize: [1])
        s = try Functional.hardsigmoid(sub("fc2")(Functional.relu(sub("fc1")(s))))
        return try TensorOps.mul(x, s)
    }
}

final class InvertedResidual: Module {
    let useRes: Bool

    init(_ cin: Int, _ cout: Int, expand: Int, stride: Int, act: () -> Module) throws {
        let mid = cin * expand
        useRes = stride == 1 && cin == cout
        super.init()
        try setAttribute("block", .module(Sequential([
            Conv2d(cin, mid, kernelSize: [1], bias: false), BatchNorm2d(mid), act(),
            Conv2d(mid, mid, kernelSize: [3], stride: [stride], padding: [1], groups: mid, bias: false), BatchNorm2d(mid), act(),
            SqueezeExcite(mid),
            Conv2d(mid, cout, kernelSize: [1], bias: false), BatchNorm2d(cout),
        ])))
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        let y = try sub("block")(x)
        return useRes ? try TensorOps.add(x, y) : y
    }
}

final class TinyMobileNet: Module {
    override init() { super.init() }

    static func make() throws -> TinyMobileNet {
        let m = TinyMobileNet()
        try m.setAttribute("features", .module(Sequential([
            Conv2d(3, 16, kernelSize: [3], stride: [2], padding: [1], bias: false), BatchNorm2d(16), Hardswish(),
            InvertedResidual(16, 16, expand: 2, stride: 1) { ReLU6() },
            InvertedResidual(16, 24, expand: 3, stride: 2) { Hardswish() },
            InvertedResidual(24, 24, expand: 3, stride: 1) { Hardswish() },
        ])))
        try m.setAttribute("classifier", .module(Sequential([Linear(24, 32), Hardswish(), Dropout(p: 0.2), Linear(32, 10)])))
        return m
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        var y = try sub("features")(x)
        y = try TensorOps.flatten(Functional.adaptiveAvgPool2d(y, outputSize: [1]), startDim: 1)
        return try sub("classifier")(y)
    }
}

final class TinyUNet: Module {
    override init() { super.init() }

    static func make() throws -> TinyUNet {
        let m = TinyUNet()
        try m.setAttribute("e1", .module(Sequential([Conv2d(3, 8, kernelSize: [3], stride: [1], padding: [1]), ReLU()])))
        try m.setAttribute("e2", .module(Sequential([MaxPool2d(kernelSize: [2]), Conv2d(8, 16, kernelSize: [3], stride: [1], padding: [1]),
                                                    BatchNorm2d(16), LeakyReLU(negativeSlope: 0.1)])))
        try m.setAttribute("e3", .module(Sequential([AvgPool2d(kernelSize: [2]),
                                                    Conv2d(16, 32, kernelSize: [3], stride: [1], padding: [2], dilation: [2]), SiLU()])))
        try m.setAttribute("u2", .module(ConvTranspose2d(32, 16, kernelSize: [2], stride: [2])))
        try m.setAttribute("d2", .module(Sequential([Conv2d(32, 16, kernelSize: [3], stride: [1], padding: [1]), ReLU()])))
        try m.setAttribute("up", .module(Upsample(scaleFactor: [2], mode: "nearest")))
        try m.setAttribute("d1", .module(Sequential([Conv2d(24, 8, kernelSize: [3], stride: [1], padding: [1]), Tanh()])))
        try m.setAttribute("out", .module(Conv2d(8, 3, kernelSize: [1])))
        return m
    }

    override func forward(_ x: Tensor) throws -> Tensor {
        let a = try sub("e1")(x)
        let b = try sub("e2")(a)
        let c = try sub("e3")(b)
        let d = try sub("d2")(TensorOps.cat([sub("u2")(c), b], dim: 1))
        let e = try sub("d1")(TensorOps.cat([sub("up")(d), a], dim: 1))
        return try Functional.softmax(sub("out")(e), dim: 1)
    }
}

extension Module {
    /// The child `name`, or an error naming it (test models always register their children).
    func sub(_ name: String) throws -> Module {
        guard let c = child(name) else { throw NNError.attribute("\(typeName) has no child \(name)") }
        return c
    }
}

enum TestModels {
    static func make(_ name: String) throws -> Module {
        switch name {
        case "carsegnet": return try CarSegNet.make()
        case "tiny_resnet": return try TinyResNet.make()
        case "tiny_mobilenet": return try TinyMobileNet.make()
        case "tiny_unet": return try TinyUNet.make()
        default: throw NNError.attribute("unknown test model \(name)")
        }
    }
}
