import Foundation

/// Line magics: `%time`, `%timeit`, `%who`, `%whos`, `%run`, `%history`, `%save`, `%reset`, `%cd`, `%pwd`,
/// `%quit`. Their output and usage errors follow IPython's wording.
extension REPL {
    public static let magicNames = ["cd", "exit", "history", "pwd", "quit", "reset", "run", "save", "time",
                                    "timeit", "who", "whos"]

    func runMagic(_ text: String, number: Int) {
        let name = String(text.prefix(while: { !$0.isWhitespace }))
        let argument = text.dropFirst(name.count).trimming(" \t")
        switch name {
        case "time": timeMagic(argument, number: number)
        case "timeit": timeitMagic(argument, number: number)
        case "who": whoMagic(detailed: false)
        case "whos": whoMagic(detailed: true)
        case "run": runFileMagic(argument, number: number)
        case "history", "hist": historyMagic(argument)
        case "save": saveMagic(argument)
        case "reset":
            // Variables and outputs go; the numbering and `In` (the inputs typed so far) stay, as in IPython.
            engine.reset()
            let typed = (1..<executionCount).map { Self.stringLiteral(inputs[$0] ?? "") }
            let history = "['', " + typed.joined(separator: ", ") + "]"
            _ = engine.run("_ = __ = ___ = ''\nIn = \(history)\nOut = {}", filename: "<repl>")
        case "cd": cdMagic(argument)
        case "pwd": print(FileManager.default.currentDirectoryPath)
        case "quit", "exit": exitStatus = 0
        default: usageError("Line magic function `%\(name)` not found.")
        }
        fflush(stdout)
    }

    func usageError(_ message: String) {
        fputs("UsageError: \(message)\n", stderr)
    }

    func timeMagic(_ code: String, number: Int) {
        guard !code.isEmpty else { return usageError("%time needs a statement, e.g. %time sum(range(10**6))") }
        let start = ProcessInfo.processInfo.systemUptime
        let outcome = InterruptWatcher.shared.running(engine) {
            engine.run(code, filename: "<In [\(number)]>")
        }
        let elapsed = ProcessInfo.processInfo.systemUptime - start
        if case .error = outcome {} else { print("Wall time: \(Self.formatSeconds(elapsed))") }
        report(outcome, number: number, showValue: true)
    }

    /// Runs `code` in loops of 1, 10, 100, … until a loop takes 0.2 s (or 2 s have gone), then repeats
    /// that loop count to report the mean and spread per run, as IPython's `%timeit` does.
    func timeitMagic(_ text: String, number: Int) {
        var words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var loops: Int?
        var repeats = 5
        while let flag = words.first, flag == "-n" || flag == "-r", words.count >= 2 {
            guard let value = Int(words[1]), value > 0 else {
                return usageError("\(flag) needs a positive whole number, got '\(words[1])'")
            }
            if flag == "-n" { loops = value } else { repeats = value }
            words.removeFirst(2)
        }
        let code = words.joined(separator: " ")
        guard !code.isEmpty else { return usageError("%timeit needs a statement, e.g. %timeit sum(range(1000))") }
        // As IPython does, the statement runs inside a function whose loop repeats it, so one timing covers
        // many runs without the cost of starting each one.
        func timeLoop(_ count: Int) -> Double? {
            let source = "def __mlus_timeit():\n    for __mlus_i in range(\(count)):\n        \(code)\n"
            let definition = engine.run(source, filename: "<In [\(number)]>")
            if case .error = definition {
                report(definition, number: number, showValue: false)
                return nil
            }
            let start = ProcessInfo.processInfo.systemUptime
            let outcome = InterruptWatcher.shared.running(engine) {
                engine.run("__mlus_timeit()", filename: "<In [\(number)]>")
            }
            let elapsed = ProcessInfo.processInfo.systemUptime - start
            _ = engine.run("del __mlus_timeit", filename: "<repl>")
            if case .error = outcome {
                report(outcome, number: number, showValue: false)
                return nil
            }
            return elapsed
        }
        var chosen = loops ?? 1
        if loops == nil {
            let budgetStart = ProcessInfo.processInfo.systemUptime
            while true {
                guard let time = timeLoop(chosen) else { return }
                if time >= 0.2 || ProcessInfo.processInfo.systemUptime - budgetStart > 2 || chosen >= 10_000_000 { break }
                chosen *= 10
            }
        }
        var perLoop: [Double] = []
        for _ in 0..<repeats {
            guard let time = timeLoop(chosen) else { return }
            perLoop.append(time / Double(chosen))
        }
        let mean = perLoop.reduce(0, +) / Double(perLoop.count)
        let variance = perLoop.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(perLoop.count)
        let runs = repeats == 1 ? "1 run" : "\(repeats) runs"
        let loopText = chosen == 1 ? "1 loop" : "\(chosen) loops"
        print("\(Self.formatSeconds(mean)) ± \(Self.formatSeconds(variance.squareRoot())) per loop "
              + "(mean ± std. dev. of \(runs), \(loopText) each)")
    }

    func whoMagic(detailed: Bool) {
        let variables = engine.userVariables().sorted { $0.name < $1.name }
        guard !variables.isEmpty else {
            print("Interactive namespace is empty.")
            return
        }
        guard detailed else {
            print(variables.map(\.name).joined(separator: "\t"))
            return
        }
        print(Self.table([["Variable", "Type", "Data/Info"]] + variables.map { [$0.name, $0.typeName, $0.summary] }))
    }

    func runFileMagic(_ text: String, number: Int) {
        let words = Self.shellWords(text)
        guard let path = words.first else { return usageError("%run needs a file name, e.g. %run train.mlus") }
        let expanded = (path as NSString).expandingTildeInPath
        guard let data = FileManager.default.contents(atPath: expanded) else {
            return usageError("File `\(path)` not found.")
        }
        let argv = "[" + words.map(Self.stringLiteral).joined(separator: ", ") + "]"
        _ = engine.run("import sys\nsys.argv = \(argv)", filename: "<repl>")
        runCode(String(decoding: data, as: UTF8.self), number: number, filename: expanded, showValue: false)
    }

    func historyMagic(_ text: String) {
        let words = text.split(separator: " ").map(String.init)
        let numbered = words.contains("-n")
        let ranges = words.filter { $0 != "-n" }
        guard let numbers = selectInputs(ranges) else { return }
        for number in numbers where number < executionCount - 1 || ranges.isEmpty == false {
            guard let source = inputs[number] else { continue }
            if numbered {
                let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
                print("\(String(number).leftPadded(to: 3)): " + lines.joined(separator: "\n     "))
            } else {
                print(source)
            }
        }
    }

    func saveMagic(_ text: String) {
        var words = Self.shellWords(text)
        guard !words.isEmpty else { return usageError("%save needs a file name, e.g. %save session.mlus 1-4") }
        var path = (words.removeFirst() as NSString).expandingTildeInPath
        if (path as NSString).pathExtension.isEmpty { path += ".mlus" }
        guard let numbers = selectInputs(words) else { return }
        // The %save being run is not part of what it saves.
        let sources = numbers.filter { $0 < executionCount - 1 || !words.isEmpty }.compactMap { inputs[$0] }
        do {
            try AtomicFile.write(Data((sources.joined(separator: "\n") + "\n").utf8), to: path)
            print("The following commands were written to file `\(path)`:")
            print(sources.joined(separator: "\n"))
        } catch {
            fputs("\(error)\n", stderr)
        }
    }

    /// Input numbers from IPython-style ranges (`3`, `1-4`, `2 5-6`); all inputs when empty.
    func selectInputs(_ ranges: [String]) -> [Int]? {
        if ranges.isEmpty { return inputs.keys.sorted() }
        var numbers: [Int] = []
        for range in ranges {
            let ends = range.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            if ends.count == 1, let single = ends[0] {
                numbers.append(single)
            } else if ends.count == 2, let low = ends[0], let high = ends[1], low <= high {
                // Only inputs that exist: `1-999999999` must not build a huge list.
                let first = max(1, low)
                let last = min(high, executionCount)
                if first <= last { numbers.append(contentsOf: first...last) }
            } else {
                usageError("'\(range)' is not an input number or range such as 3 or 1-4")
                return nil
            }
        }
        return numbers
    }

    func cdMagic(_ text: String) {
        let target = text.isEmpty ? NSHomeDirectory() : (Self.shellWords(text).first ?? text)
        let expanded = (target as NSString).expandingTildeInPath
        guard FileManager.default.changeCurrentDirectoryPath(expanded) else {
            fputs("cd: no such directory: \(target)\n", stderr)
            return
        }
        print(FileManager.default.currentDirectoryPath)
    }

    // MARK: - Formatting helpers

    /// Seconds in the unit IPython would use: `1.23 s`, `4.56 ms`, `7.89 µs`, `12.3 ns`.
    static func formatSeconds(_ seconds: Double) -> String {
        let (value, unit): (Double, String) = seconds >= 1 ? (seconds, "s")
            : seconds >= 1e-3 ? (seconds * 1e3, "ms") : seconds >= 1e-6 ? (seconds * 1e6, "µs") : (seconds * 1e9, "ns")
        return String(format: value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value) + " " + unit
    }

    /// Left-aligned columns separated by three spaces, with a dashed line under the header row.
    static func table(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "   ")
        }
        let rule = String(repeating: "-", count: widths.reduce(0, +) + 3 * (widths.count - 1))
        return ([line(header), rule] + rows.dropFirst().map(line)).joined(separator: "\n")
    }

    /// Splits a magic's argument on spaces, keeping quoted parts together.
    static func shellWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var started = false
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                started = true
            } else if character == " " || character == "\t" {
                if started || !current.isEmpty { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(character)
            }
        }
        if started || !current.isEmpty { words.append(current) }
        return words
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
