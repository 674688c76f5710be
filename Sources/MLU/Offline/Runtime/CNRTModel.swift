import Foundation

/// A loaded offline model, as `cnrtLoadModel` gives it (reference cambricon.md §6, step 2).
public final class CNRTModel: @unchecked Sendable {
    public let model: OfflineModel
    /// The file it was loaded from, if any.
    public let path: String?

    /// Wraps a model already in memory (e.g. just produced by tracing).
    public init(model: OfflineModel) {
        self.model = model
        self.path = nil
    }

    private init(model: OfflineModel, path: String) {
        self.model = model
        self.path = path
    }

    /// `cnrtLoadModel`: maps and checks the `.cambricon` file at `path`.
    /// - Throws: `OfflineFormatError`.
    public static func load(path: String) throws -> CNRTModel {
        CNRTModel(model: try OfflineModelReader.read(contentsOf: path), path: path)
    }

    /// The functions the model holds (one, normally "subnet0").
    public var functionNames: [String] { [model.graph.functionName] }

    /// `cnrtQueryModelParallelism`: the core number the model was compiled for.
    public var modelParallelism: Int { model.target.coreNumber }

    /// `cnrtExtractFunction`.
    /// - Throws: `CNRTError.unknownFunction`, listing the available names.
    public func extractFunction(named name: String) throws -> CNRTFunction {
        guard name == model.graph.functionName else {
            throw CNRTError.unknownFunction(name, available: functionNames)
        }
        return CNRTFunction(model: model)
    }

    /// The `.cambricon_twins` file beside the model (`<path>_twins`), parsed.
    /// - Throws: `CNRTError.twinsMissing` when there is none, `TwinsParseError` when it is malformed.
    public func twins() throws -> TwinsFile {
        let twinsPath = (path ?? "<memory>") + "_twins"
        guard let path = path, FileManager.default.fileExists(atPath: path + "_twins") else {
            throw CNRTError.twinsMissing(path: twinsPath)
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: twinsPath))
        return try TwinsParser.parse(String(decoding: data, as: UTF8.self))
    }
}
