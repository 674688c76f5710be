// swift-tools-version:6.0
// mlus — port PyTorch CNNs to an emulated Cambricon MLU220/MLU270.
// Module order (a module imports only those above it): see docs/architecture.md and DESIGN §2.
import PackageDescription

/// Hot loops (element-wise kernels, FP16 rounding, int16 emulation) need AVX2/FMA/F16C;
/// x86-64-v3 gives them without requiring AVX-512 (DESIGN §8).
let cpuFlags: [CSetting] = [.unsafeFlags(["-O3", "-march=x86-64-v3", "-fno-math-errno"])]

let package = Package(
    name: "mlus",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mlus", targets: ["mlus"]),
        // The readers and the language front end, for the fuzz package in Tests/Fuzz (docs/security.md).
        .library(name: "MlusEngine", targets: ["Checkpoint", "Imaging", "MLU", "Script"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // System libraries and the C kernel layer.
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        .systemLibrary(name: "CEdit", path: "Sources/CEdit", pkgConfig: "libedit"),
        // PNG/JPEG codecs in C: libjpeg reports errors by longjmp, which Swift cannot catch.
        .target(name: "CImage", path: "Sources/CImage",
                linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg")]),
        // libmvec: glibc's vector math (the sigmoid's expf).
        .target(name: "CKernels", path: "Sources/CKernels", cSettings: cpuFlags, linkerSettings: [.linkedLibrary("mvec")]),
        // Quantize/dequantize loops around the oneDNN integer convolution of the MLU emulation.
        .target(name: "CQuantKernels", dependencies: ["CKernels"], path: "Sources/CQuantKernels", cSettings: cpuFlags),

        // The engine, lowest first.
        .target(name: "Tensors", dependencies: ["CDNNL", "CKernels"]),
        .target(name: "Ops", dependencies: ["Tensors"]),
        .target(name: "Checkpoint", dependencies: ["Tensors", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .target(name: "Imaging", dependencies: ["Tensors", "CImage"]),
        .target(name: "NN", dependencies: ["Tensors", "Ops"]),
        // Integer-convolution emulation loops: optimized even in debug builds, so scripts and tests stay fast.
        .target(name: "Quantization", dependencies: ["NN", "Ops", "Tensors", "CDNNL", "CQuantKernels"], swiftSettings: [.unsafeFlags(["-O"])]),
        .target(name: "MLU", dependencies: ["Quantization", "NN", "Ops", "Tensors", "Checkpoint"]),
        .target(name: "Script", dependencies: ["MLU", "Quantization", "NN", "Ops", "Tensors", "Checkpoint", "Imaging"]),
        .target(name: "Notebook", dependencies: ["Script", "CEdit"]),
        .executableTarget(name: "mlus", dependencies: [
            "Notebook", "Script", "Tensors",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests mirror the source tree.
        // The fixtures' independent .npy reader and paths, shared by the test targets (not the product's reader).
        .target(name: "FixtureSupport", dependencies: ["Tensors"], path: "Tests/FixtureSupport"),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "FixtureSupport"], path: "Tests/TensorsTests"),
        .testTarget(name: "OpsTests", dependencies: ["Ops", "Tensors"], path: "Tests/OpsTests"),
        .testTarget(name: "CheckpointTests", dependencies: ["Checkpoint", "Tensors"], path: "Tests/CheckpointTests"),
        .testTarget(name: "NNTests", dependencies: ["NN", "Ops", "Tensors", "Checkpoint", "Imaging", "FixtureSupport"], path: "Tests/NNTests"),
        .testTarget(name: "QuantizationTests", dependencies: ["Quantization"], path: "Tests/QuantizationTests"),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "Tensors"], path: "Tests/ImagingTests"),
        .testTarget(name: "MLUTests", dependencies: ["MLU", "NN", "Ops", "Tensors"], path: "Tests/MLUTests"),
        .testTarget(name: "ScriptTests", dependencies: ["Script"], path: "Tests/ScriptTests"),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook"], path: "Tests/NotebookTests"),
    ],
    swiftLanguageModes: [.v5]
)
