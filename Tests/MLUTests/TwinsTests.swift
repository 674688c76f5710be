import Foundation
import XCTest
@testable import MLU

final class TwinsTests: XCTestCase {
    /// Tests/Fixtures/twins/yolov5s.cambricon_twins: the real file quoted verbatim in reference
    /// cambricon.md §5 (CambriconECO/Pytorch_Yolov5_Inference, MLU270, 4 cores).
    private func referenceText() throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/twins/yolov5s.cambricon_twins")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The reference file's content, typed in from the reference (not parsed from it).
    private let yolov5s = TwinsFile(modelFileName: "yolov5s.cambricon", functions: [
        TwinsFunction(kernelNumber: 1, cacheMode: 0, name: "subnet0",
                      inputs: [TwinsTensor(mask: 338_036_233, shape: [1, 640, 640, 3], name: "", id: 1418,
                                           dataType: "CNRT_FLOAT32", dimOrder: "CNRT_NHWC", quantizePosition: 0, quantizeScale: 0)],
                      outputs: [TwinsTensor(mask: 338_036_233, shape: [1, 1, 1, 7232], name: "", id: 2490,
                                            dataType: "CNRT_FLOAT16", dimOrder: "CNRT_NHWC",
                                            quantizePosition: 1_886_413_614, quantizeScale: 0)],
                      kernelHeaders: [TwinsKernelHeader(name: "subnet0442", coreVersion: "", modelParallelism: 4,
                                                        coreLimit: 4, instDataSplit: true)]),
    ])

    func testWriterReproducesTheReferenceLineForLine() throws {
        let expected = try referenceText()
        let rendered = TwinsWriter.render(yolov5s)
        let a = expected.components(separatedBy: "\n"), b = rendered.components(separatedBy: "\n")
        XCTAssertEqual(a.count, b.count)
        for (k, (x, y)) in zip(a, b).enumerated() {
            XCTAssertEqual(y, x, "line \(k + 1)")
        }
        XCTAssertEqual(rendered, expected)
        // The trailing spaces are part of the layout.
        XCTAssertTrue(rendered.contains("Kernel num:1 \nCache mode:0 \n"))
        XCTAssertTrue(rendered.contains("        Shape(dim): 1 640 640 3 \n        Name: \n"))
    }

    func testParserReadsTheReference() throws {
        XCTAssertEqual(try TwinsParser.parse(try referenceText()), yolov5s)
    }

    func testRoundTrips() throws {
        let text = try referenceText()
        XCTAssertEqual(TwinsWriter.render(try TwinsParser.parse(text)), text)
        var other = yolov5s
        other.functions[0].outputs[0].shape = [1, 1000]
        other.functions[0].outputs[0].quantizeScale = -0.0
        other.functions[0].inputs[0].dataType = "CNRT_UINT8"
        other.functions[0].kernelHeaders[0].modelParallelism = 16
        let rendered = TwinsWriter.render(other)
        XCTAssertTrue(rendered.contains("        Shape(dim): 1 1000 \n"))
        XCTAssertTrue(rendered.contains("        Quantize scale: -0.000000\n"))
        let back = try TwinsParser.parse(rendered)
        XCTAssertEqual(back, other)
        XCTAssertEqual(back.functions[0].outputs[0].quantizeScale.sign, .minus)
    }

    func testParserIsTolerantOfWhitespaceAndCRLF() throws {
        let text = try referenceText().replacingOccurrences(of: "\n", with: "\r\n")
            .replacingOccurrences(of: "        Mask", with: "\tMask")
        XCTAssertEqual(try TwinsParser.parse(text), yolov5s)
    }

    func testParseErrorsCarryLineNumbers() throws {
        let lines = try referenceText().components(separatedBy: "\n")
        func parse(replacing line: Int, with text: String) -> TwinsParseError? {
            var copy = lines
            copy[line - 1] = text
            let text = copy.joined(separator: "\n")
            let lineCount = text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }).count
            do {
                _ = try TwinsParser.parse(text)
                return nil
            } catch {
                return error as? TwinsParseError
            }
        }
        // Line 9 is "Input number: 1", line 12 the input's "Shape(dim):", line 15 its "Data type:",
        // line 28 "    Name: subnet0442", line 33 the closing brace.
        XCTAssertEqual(parse(replacing: 12, with: "        Shape(dim): 1 six 640 3 ")?.line, 12)
        XCTAssertEqual(parse(replacing: 9, with: "Input count: 1")?.line, 9)
        XCTAssertEqual(parse(replacing: 28, with: "    Title: subnet0442")?.line, 28)
        XCTAssertEqual(parse(replacing: 1, with: "This is a file.")?.line, 1)
        let e = parse(replacing: 15, with: "        Data type: CNRT_FLOAT32")
        XCTAssertEqual(e?.line, 15)
        XCTAssertTrue(e?.description.hasPrefix("twins:15: expected 'Dim Order:'") ?? false, e?.description ?? "")
        // Cut after the kernel header: the closing brace is missing.
        XCTAssertThrowsError(try TwinsParser.parse(lines[0..<31].joined(separator: "\n"))) { error in
            XCTAssertTrue("\(error)".contains("unexpected end of file"), "\(error)")
        }
        XCTAssertThrowsError(try TwinsParser.parse(try referenceText() + "garbage\n")) { error in
            XCTAssertEqual((error as? TwinsParseError)?.line, 34)
        }
    }

    func testTwinsOfAnOfflineModel() throws {
        let model = SampleModels.convNet(coreVersion: .mlu220, coreNumber: 4)
        let twins = TwinsFile(model: model, modelFileName: "carseg_int8_fp16.cambricon")
        let text = TwinsWriter.render(twins)
        XCTAssertTrue(text.hasPrefix("This is the Twins File of \"carseg_int8_fp16.cambricon\".\n"))
        XCTAssertTrue(text.contains("        Shape(dim): 1 8 8 3 \n"))
        XCTAssertTrue(text.contains("        Data type: CNRT_FLOAT16        Dim Order: CNRT_NHWC\n"))
        XCTAssertTrue(text.contains("    Model Parallelism: 4\n    Core limit: 4\n"))
        XCTAssertEqual(try TwinsParser.parse(text), twins)
    }

    /// Random damage (dropped, duplicated or garbled lines) gives a line-numbered error or a file,
    /// never a crash.
    func testFuzzedTextNeverCrashes() throws {
        let lines = try referenceText().components(separatedBy: "\n")
        var rng = SplitMix64(seed: 0x7477_696E)
        var errors = 0
        for _ in 0..<2000 {
            var copy = lines
            let k = Int(rng.next() % UInt64(copy.count))
            switch rng.next() % 4 {
            case 0: copy.remove(at: k)
            case 1: copy.insert(copy[k], at: k)
            case 2:
                var chars = Array(copy[k])
                if !chars.isEmpty { chars[Int(rng.next() % UInt64(chars.count))] = Character(UnicodeScalar(UInt8(rng.next() % 128))) }
                copy[k] = String(chars)
            default: copy[k] = String(copy[k].prefix(Int(rng.next() % 12)))
            }
            let text = copy.joined(separator: "\n")
            let lineCount = text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }).count
            do {
                _ = try TwinsParser.parse(text)
            } catch let error as TwinsParseError {
                errors += 1
                XCTAssertGreaterThanOrEqual(error.line, 1)
                XCTAssertLessThanOrEqual(error.line, lineCount)
            }
        }
        XCTAssertGreaterThan(errors, 1000)
    }
}
