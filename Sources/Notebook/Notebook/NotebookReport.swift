import Foundation

/// Writes a run notebook to disk in the format its file name asks for: `.ipynb` (nbformat 4, images
/// embedded) or `.md` (images copied into `<name>_files/` beside the report and linked relatively, so the
/// report's links resolve wherever the folder goes). Every file is written atomically.
public enum NotebookReport {
    /// - Throws: `NotebookReportError` for an unknown extension, an unreadable image or a failed write.
    public static func write(_ transcript: NotebookTranscript, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        switch url.pathExtension.lowercased() {
        case "ipynb":
            try AtomicFile.write(try IPythonNotebookWriter.render(transcript), to: path)
        case "md", "markdown":
            let directory = url.deletingLastPathComponent().path
            let localized = try copyImages(of: transcript, besideReport: url)
            let text = MarkdownTranscriptWriter.render(localized, reportDirectory: directory)
            try AtomicFile.write(Data(text.utf8), to: path)
        default:
            throw NotebookReportError.unknownReportFormat(path: path)
        }
    }

    /// Copies images that lie outside the report's folder into `<report name>_files/` and points the
    /// transcript at the copies.
    static func copyImages(of transcript: NotebookTranscript, besideReport report: URL) throws -> NotebookTranscript {
        let directory = report.deletingLastPathComponent().standardizedFileURL.path
        let filesFolder = report.deletingPathExtension().lastPathComponent + "_files"
        var copy = transcript
        var used = Set<String>()
        for cellIndex in copy.cells.indices {
            for outputIndex in copy.cells[cellIndex].outputs.indices {
                guard case .image(let path) = copy.cells[cellIndex].outputs[outputIndex] else { continue }
                let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
                if absolute.hasPrefix(directory.hasSuffix("/") ? directory : directory + "/") { continue }
                guard let bytes = FileManager.default.contents(atPath: absolute) else {
                    throw NotebookReportError.unreadableImage(path: path)
                }
                let folder = (directory as NSString).appendingPathComponent(filesFolder)
                try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                var name = (absolute as NSString).lastPathComponent
                var suffix = 2
                while used.contains(name) {
                    name = "\((absolute as NSString).deletingPathExtension.split(separator: "/").last ?? "image")_\(suffix).png"
                    suffix += 1
                }
                used.insert(name)
                let target = (folder as NSString).appendingPathComponent(name)
                try AtomicFile.write(bytes, to: target)
                copy.cells[cellIndex].outputs[outputIndex] = .image(pngPath: target)
            }
        }
        return copy
    }
}
