/// Errors writing a notebook report.
public enum NotebookReportError: Error, CustomStringConvertible, Equatable {
    case unreadableImage(path: String)
    case unknownReportFormat(path: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableImage(let path):
            return "notebook: cannot read image '\(path)' to embed it in the report"
        case .unknownReportFormat(let path):
            return "notebook: cannot tell the report format of '\(path)': use a name ending in .md or .ipynb"
        case .writeFailed(let path, let reason):
            return "notebook: cannot write '\(path)': \(reason)"
        }
    }
}
