import ArgumentParser
import Foundation
import MLU
import Script

/// `mlus inspect FILE.cambricon`: prints an offline model and its twins file.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print an offline model: target, I/O, operations, parameter bytes, provenance, twins file, latency estimate.",
        discussion: """
            The .cambricon file is mlus's own format (docs/offline-format.md); the .cambricon_twins file beside it \
            is read when present. The latency estimate is a roofline model for the model's own target (core version \
            and core number), not a measurement. A file that fails a reader check is reported with the check's name \
            (e.g. OfflineFormatError.badMagic) and exit status 1.
            """)

    @ArgumentParser.Argument(help: "The .cambricon file.")
    var file: String

    @Flag(name: .customLong("no-estimate"), help: "Leave out the roofline latency estimate.")
    var noEstimate = false

    func run() throws {
        let model: CNRTModel
        do { model = try CNRTModel.load(path: file) } catch {
            StandardError.write("mlus inspect: \(file): \(CommandErrors.name(error)): \(error)\n")
            throw ExitCode(1)
        }
        let twinsPath = file + "_twins"
        let twins = FileManager.default.contents(atPath: twinsPath).map { String(decoding: $0, as: UTF8.self) }
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
        print(OfflineModelReport.render(model.model, path: file, fileSize: size, twins: twins, estimate: !noEstimate), terminator: "")
    }
}

/// Names of engine errors for command-line messages: `OfflineFormatError.badMagic`.
enum CommandErrors {
    static func name(_ error: Error) -> String {
        let type = String(describing: Swift.type(of: error))
        if let label = Mirror(reflecting: error).children.first?.label { return "\(type).\(label)" }
        let text = String(describing: error)
        if Mirror(reflecting: error).displayStyle == .enum, !text.contains(" ") { return "\(type).\(text)" }
        return type
    }
}
