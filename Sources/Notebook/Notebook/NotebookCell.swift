/// One cell of a Jupytext percent-format script: a `# %%` code cell or a `# %% [markdown]` prose cell.
public struct NotebookCell: Equatable, Sendable {
    /// Whether the cell is code to run or prose to copy into the report.
    public enum Kind: String, Equatable, Sendable {
        case code
        case markdown
    }

    public var kind: Kind
    /// The cell's text: code as written, or prose with its `# ` comment markers removed.
    /// Leading and trailing blank lines are dropped.
    public var source: String
    /// The 1-based line of the script where `source` begins, so errors can point into the script.
    public var firstLine: Int
    /// The title after `# %%`, if any (`# %% Load the model` has title "Load the model").
    public var title: String

    public init(kind: Kind, source: String, firstLine: Int, title: String = "") {
        self.kind = kind
        self.source = source
        self.firstLine = firstLine
        self.title = title
    }
}
