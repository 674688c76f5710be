import FixtureSupport
import Foundation
import NN
import Ops
import Tensors
import XCTest

/// CarSegNet eager FP32 at 1x3x480x480: median forward time, side by side with PyTorch eager in the same run.
/// Skipped unless MLUS_BENCH is set (timing belongs in a quiet release run, not in unit tests):
///
///     MLUS_BENCH=1 MLUS_TORCH_PYTHON=$(scripts/torch-venv) swift test -c release -Xswiftc -enable-testing --filter CarSegNetTimingTests
///
/// MLUS_CHANNELS_LAST=1 runs both in channels-last memory format; MLUS_PROFILE=1 prints time per op.
final class CarSegNetTimingTests: XCTestCase {
    /// Wraps the CPU backend and sums wall time per op name (a use of the pluggable-backend design).
    final class TimingBackend: Backend, @unchecked Sendable {
        let name = "cpu"
        let inner = CPUBackend()
        var totals: [String: Double] = [:]
        func execute(_ op: Op, _ inputs: [Tensor]) throws -> [Tensor] {
            let t = DispatchTime.now().uptimeNanoseconds
            defer { totals[op.name, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6 }
            return try inner.execute(op, inputs)
        }
    }

    func profile(_ model: Module, _ x: Tensor) throws {
        let timing = TimingBackend()
        Dispatcher.shared.register(cpu: timing)
        defer { Dispatcher.shared.register(cpu: CPUBackend()) }
        for _ in 0..<10 { _ = try model(x) }
        for (name, ms) in timing.totals.sorted(by: { $0.value > $1.value }) { print(String(format: "  %-20@ %8.2f ms/run", name, ms / 10)) }
    }

    static let torchScript = """
    import sys, time, torch
    sys.path.insert(0, sys.argv[1])
    import carsegnet
    torch.set_num_threads(2)
    m = carsegnet.CarSegNet().eval()
    x = torch.randn(1, 3, 480, 480)
    if sys.argv[3] == "channels_last":
        m = m.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    with torch.no_grad():
        for _ in range(3): m(x)
        ts = []
        for _ in range(int(sys.argv[2])):
            t = time.perf_counter(); m(x); ts.append(time.perf_counter() - t)
    ts.sort(); print(ts[len(ts) // 2] * 1000, ts[0] * 1000)
    """

    func testCarSegNetForwardTime() throws {
        guard ProcessInfo.processInfo.environment["MLUS_BENCH"] != nil else { throw XCTSkip("set MLUS_BENCH=1 to time CarSegNet") }
        let runs = 15, rounds = 3
        let model = try CarSegNet.make().eval()
        let format: MemoryFormat = ProcessInfo.processInfo.environment["MLUS_CHANNELS_LAST"] != nil ? .channelsLast : .contiguous
        let x = try Tensor.randn([1, 3, 480, 480]).contiguous(memoryFormat: format)
        for _ in 0..<3 { _ = try model(x) }
        if ProcessInfo.processInfo.environment["MLUS_PROFILE"] != nil { try profile(model, x) }
        let python = ProcessInfo.processInfo.environment["MLUS_TORCH_PYTHON"]
        // Alternate blocks of mlus and PyTorch runs so both see the same machine load; report medians of all runs.
        var mlusTimes = [Double](), torchMedians = [Double](), torchMins = [Double]()
        for _ in 0..<rounds {
            for _ in 0..<runs {
                let t = DispatchTime.now().uptimeNanoseconds
                _ = try model(x)
                mlusTimes.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
            }
            guard let python else { continue }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-c", Self.torchScript, Fixtures.carseg.path, String(runs), format == .channelsLast ? "channels_last" : "nchw"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            process.waitUntilExit()
            let text = String(data: pipe.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8) ?? ""
            let parts = text.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            guard parts.count == 2 else {
                XCTFail("torch timing failed: \(text)")
                return
            }
            torchMedians.append(parts[0])
            torchMins.append(parts[1])
        }
        mlusTimes.sort()
        let mlus = mlusTimes[mlusTimes.count / 2]
        print(String(format: "CarSegNet 1x3x480x480 eager fp32 %@: mlus median %.2f ms (min %.2f), %d threads", format.rawValue, mlus, mlusTimes[0], EngineThreads.current))
        guard !torchMedians.isEmpty else { return }
        torchMedians.sort()
        let torch = torchMedians[torchMedians.count / 2]
        let torchMin = torchMins.min() ?? torch
        print(String(format: "PyTorch eager fp32: median %.2f ms (min %.2f); ratio mlus/torch = %.2f (of minima %.2f)",
                     torch, torchMin, mlus / torch, mlusTimes[0] / torchMin))
    }
}
