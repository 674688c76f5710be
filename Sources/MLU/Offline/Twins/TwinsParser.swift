import Foundation

/// Reads `.cambricon_twins` text back into a `TwinsFile`.
///
/// Knows only the layout of reference §5. Indentation and trailing spaces are not significant,
/// blank lines are skipped; anything else out of place is a `TwinsParseError` with its line number.
public enum TwinsParser {
    /// - Throws: `TwinsParseError`.
    public static func parse(_ text: String) throws -> TwinsFile {
        var c = TwinsCursor(text: text)
        let title = try c.line("the header line 'This is the Twins File of \"<file>.cambricon\".'")
        let prefix = "This is the Twins File of \""
        guard title.text.hasPrefix(prefix), title.text.hasSuffix("\"."), title.text.count >= prefix.count + 2 else {
            throw c.error(at: title, "expected 'This is the Twins File of \"<file>.cambricon\".'")
        }
        let modelFileName = String(title.text.dropFirst(prefix.count).dropLast(2))
        let functionCount = try c.integer("Function number:")
        let separator = try c.line("the '---------------kernel graph--------------------' separator")
        guard separator.text.hasPrefix("---"), separator.text.contains("kernel graph") else {
            throw c.error(at: separator, "expected the '---------------kernel graph--------------------' separator")
        }
        var functions = [TwinsFunction]()
        for i in 0..<max(functionCount, 0) {
            functions.append(try parseFunction(&c, index: i))
        }
        if let extra = c.nextNonBlank() {
            throw c.error(at: extra, "unexpected text after the last function (Function number: \(functionCount))")
        }
        return TwinsFile(modelFileName: modelFileName, functions: functions)
    }

    private static func parseFunction(_ c: inout TwinsCursor, index: Int) throws -> TwinsFunction {
        let opening = try c.line("'Function #\(index) {'")
        guard opening.text == "Function #\(index) {" else { throw c.error(at: opening, "expected 'Function #\(index) {'") }
        let kernelNumber = try c.integer("Kernel num:")
        let cacheMode = try c.integer("Cache mode:")
        let name = try c.field("Name:")
        let inputCount = try c.integer("Input number:")
        var inputs = [TwinsTensor]()
        for k in 0..<max(inputCount, 0) { inputs.append(try parseTensor(&c, kind: "Input", index: k)) }
        let outputCount = try c.integer("Output number:")
        var outputs = [TwinsTensor]()
        for k in 0..<max(outputCount, 0) { outputs.append(try parseTensor(&c, kind: "Output", index: k)) }
        var headers = [TwinsKernelHeader]()
        while true {
            let next = try c.line("'Kernel header #\(headers.count):' or '}'")
            if next.text == "}" { break }
            guard next.text == "Kernel header #\(headers.count):" else {
                throw c.error(at: next, "expected 'Kernel header #\(headers.count):' or '}'")
            }
            let headerName = try c.field("Name:")
            let coreVersion = try c.field("Core version:")
            let parallelism = try c.integer("Model Parallelism:")
            let coreLimit = try c.integer("Core limit:")
            let splitLine = try c.line("'Inst data split: true|false'")
            let split = try c.value(of: splitLine, after: "Inst data split:")
            guard split == "true" || split == "false" else {
                throw c.error(at: splitLine, "expected 'true' or 'false' after 'Inst data split:'")
            }
            headers.append(TwinsKernelHeader(name: headerName, coreVersion: coreVersion, modelParallelism: parallelism,
                                             coreLimit: coreLimit, instDataSplit: split == "true"))
        }
        return TwinsFunction(kernelNumber: kernelNumber, cacheMode: cacheMode, name: name, inputs: inputs,
                             outputs: outputs, kernelHeaders: headers)
    }

    private static func parseTensor(_ c: inout TwinsCursor, kind: String, index: Int) throws -> TwinsTensor {
        let heading = try c.line("'\(kind) #\(index).'")
        guard heading.text == "\(kind) #\(index)." else { throw c.error(at: heading, "expected '\(kind) #\(index).'") }
        let mask = try c.int64("Mask:")
        let shapeLine = try c.line("'Shape(dim):'")
        let shapeText = try c.value(of: shapeLine, after: "Shape(dim):")
        var shape = [Int]()
        for token in shapeText.split(separator: " ", omittingEmptySubsequences: true) {
            guard let d = Int(token), d >= 0 else {
                throw c.error(at: shapeLine, "expected non-negative integers after 'Shape(dim):', found '\(token)'")
            }
            shape.append(d)
        }
        let name = try c.field("Name:")
        let id = try c.int64("Id:")
        let typeLine = try c.line("'Data type: ...  Dim Order: ...'")
        let typeText = try c.value(of: typeLine, after: "Data type:")
        guard let orderRange = typeText.range(of: "Dim Order:") else {
            throw c.error(at: typeLine, "expected 'Dim Order:' after the data type")
        }
        let dataType = typeText[..<orderRange.lowerBound].trimmingCharacters(in: .whitespaces)
        let dimOrder = typeText[orderRange.upperBound...].trimmingCharacters(in: .whitespaces)
        guard dataType.hasPrefix("CNRT_"), dimOrder.hasPrefix("CNRT_") else {
            throw c.error(at: typeLine, "expected CNRT_ names for the data type and dim order")
        }
        let position = try c.int64("Quantize position:")
        let scaleLine = try c.line("'Quantize scale:'")
        let scaleText = try c.value(of: scaleLine, after: "Quantize scale:")
        guard let scale = Double(scaleText) else {
            throw c.error(at: scaleLine, "expected a number after 'Quantize scale:', found '\(scaleText)'")
        }
        return TwinsTensor(mask: mask, shape: shape, name: name, id: id, dataType: dataType, dimOrder: dimOrder,
                           quantizePosition: position, quantizeScale: scale)
    }
}

/// Walks the lines of a twins text, skipping blank ones, producing line-numbered errors.
struct TwinsCursor {
    struct Line {
        var number: Int
        /// Without indentation, trailing whitespace or a CR.
        var text: String
        var raw: String
    }

    private let lines: [String]
    private var index = 0

    init(text: String) {
        // "\r\n" is one Character in Swift; `isNewline` splits it as well as "\n".
        lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }).map(String.init)
    }

    /// The next non-blank line, or nil at the end.
    mutating func nextNonBlank() -> Line? {
        while index < lines.count {
            let raw = lines[index]
            index += 1
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { return Line(number: index, text: text, raw: raw) }
        }
        return nil
    }

    mutating func line(_ expected: String) throws -> Line {
        guard let l = nextNonBlank() else {
            throw TwinsParseError(line: lines.count, message: "unexpected end of file, expected \(expected)", found: "")
        }
        return l
    }

    func error(at line: Line, _ message: String) -> TwinsParseError {
        TwinsParseError(line: line.number, message: message, found: line.raw)
    }

    /// The text after `key` on `line`, trimmed.
    func value(of line: Line, after key: String) throws -> String {
        guard line.text.hasPrefix(key) else { throw error(at: line, "expected '\(key)'") }
        return line.text.dropFirst(key.count).trimmingCharacters(in: .whitespaces)
    }

    mutating func field(_ key: String) throws -> String {
        try value(of: try line("'\(key)'"), after: key)
    }

    mutating func int64(_ key: String) throws -> Int64 {
        let l = try line("'\(key)'")
        let text = try value(of: l, after: key)
        guard let v = Int64(text) else { throw error(at: l, "expected an integer after '\(key)', found '\(text)'") }
        return v
    }

    mutating func integer(_ key: String) throws -> Int {
        let l = try line("'\(key)'")
        let text = try value(of: l, after: key)
        guard let v = Int(text) else { throw error(at: l, "expected an integer after '\(key)', found '\(text)'") }
        return v
    }
}
