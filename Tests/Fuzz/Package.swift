// swift-tools-version:6.0
// libFuzzer targets for every reader of untrusted bytes (docs/security.md). Built only by scripts/fuzz:
//   swift build -c debug --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library ...
// Each executable exports LLVMFuzzerTestOneInput and a `<Target>_main` that hands control to libFuzzer's driver
// (SwiftPM links executables with `--defsym main=<Target>_main`).
import PackageDescription

let formats = ["Pickle", "Zip", "Legacy", "Npy", "Cambricon", "Twins", "PNG", "JPEG", "Script"]

let package = Package(
    name: "mlus-fuzz",
    dependencies: [.package(name: "mlus", path: "../..")],
    targets: [
        .target(name: "FuzzDriver", dependencies: [.product(name: "MlusEngine", package: "mlus")], path: "Sources/FuzzDriver"),
    ] + formats.map { format in
        .executableTarget(
            name: "Fuzz\(format)",
            dependencies: ["FuzzDriver", .product(name: "MlusEngine", package: "mlus")],
            path: "Sources/Fuzz\(format)")
    },
    swiftLanguageModes: [.v5]
)
