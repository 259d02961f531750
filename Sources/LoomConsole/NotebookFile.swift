import Foundation

/// A `Notebook` as nbformat 4.5 JSON: Encodable values whose coding keys are nbformat's names.
/// https://nbformat.readthedocs.io/en/latest/format_description.html
struct NotebookFile: Encodable {
  let nbformat = 4
  let nbformatMinor = 5
  let metadata = Metadata()
  let cells: [Cell]

  enum CodingKeys: String, CodingKey {
    case nbformat
    case nbformatMinor = "nbformat_minor"
    case metadata
    case cells
  }

  init(_ notebook: Notebook) {
    cells = notebook.cells.enumerated().map { index, cell in Cell(cell, id: "cell-\(index + 1)") }
  }

  /// The kernel that runs the notebook and the language its cells are written in.
  struct Metadata: Encodable {
    let kernelspec = KernelSpec()
    let languageInfo = LanguageInfo()

    enum CodingKeys: String, CodingKey {
      case kernelspec
      case languageInfo = "language_info"
    }
  }

  struct KernelSpec: Encodable {
    let name = "loom"
    let displayName = "Loom"
    let language = "loom"

    enum CodingKeys: String, CodingKey {
      case name
      case displayName = "display_name"
      case language
    }
  }

  struct LanguageInfo: Encodable {
    let name = "loom"
    let fileExtension = ".loom"

    enum CodingKeys: String, CodingKey {
      case name
      case fileExtension = "file_extension"
    }
  }

  /// A markdown cell, or a code cell with its execution count (null when it did not run) and
  /// its outputs.
  struct Cell: Encodable {
    enum Kind: String, Encodable {
      case code
      case markdown
    }

    let id: String
    let kind: Kind
    let metadata: CellMetadata
    let source: [String]
    /// Code cells only.
    let execution: (count: Int?, outputs: [Output])?

    enum CodingKeys: String, CodingKey {
      case id
      case kind = "cell_type"
      case metadata
      case source
      case executionCount = "execution_count"
      case outputs
    }

    init(_ cell: NotebookCell, id: String) {
      self.id = id
      metadata = CellMetadata(title: cell.title)
      source = Notebook.lines(cell.source)
      switch cell.kind {
      case .markdown:
        kind = .markdown
        execution = nil
      case .code(let executionCount, let outputs):
        kind = .code
        execution = (executionCount, outputs.map { Output($0, executionCount: executionCount) })
      }
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(id, forKey: .id)
      try container.encode(kind, forKey: .kind)
      try container.encode(metadata, forKey: .metadata)
      try container.encode(source, forKey: .source)
      if let execution {
        if let count = execution.count {
          try container.encode(count, forKey: .executionCount)
        } else {
          try container.encodeNil(forKey: .executionCount)
        }
        try container.encode(execution.outputs, forKey: .outputs)
      }
    }
  }

  /// Jupytext keeps the percent marker's title here.
  struct CellMetadata: Encodable {
    let title: String?
  }

  /// One output of a code cell: a stream, a rich display, or the error that stopped the run.
  enum Output: Encodable {
    case stream(StreamOutput)
    case display(DisplayData)
    case result(ExecuteResult)
    case error(ErrorOutput)

    init(_ output: CellOutput, executionCount: Int?) {
      switch output {
      case .stream(let name, let text):
        self = .stream(StreamOutput(name: name, text: Notebook.lines(text)))
      case .display(let png, let html, let text):
        self = .display(
          DisplayData(
            data: .init(text: Notebook.lines(text), png: png?.base64EncodedString(), html: html.map(Notebook.lines))))
      case .result(let text, let html):
        self = .result(
          ExecuteResult(
            executionCount: executionCount,
            data: .init(text: Notebook.lines(text), html: html.map(Notebook.lines))))
      case .error(let name, let value, let traceback):
        self = .error(ErrorOutput(name: name, value: value, traceback: traceback))
      }
    }

    func encode(to encoder: any Encoder) throws {
      switch self {
      case .stream(let output): try output.encode(to: encoder)
      case .display(let output): try output.encode(to: encoder)
      case .result(let output): try output.encode(to: encoder)
      case .error(let output): try output.encode(to: encoder)
      }
    }
  }

  struct StreamOutput: Encodable {
    let outputType = "stream"
    let name: String
    let text: [String]

    enum CodingKeys: String, CodingKey {
      case outputType = "output_type"
      case name
      case text
    }
  }

  /// An image (base64 PNG) or an HTML table with its plain-text stand-in, and empty metadata.
  struct DisplayData: Encodable {
    struct MimeBundle: Encodable {
      let text: [String]
      let png: String?
      let html: [String]?

      enum CodingKeys: String, CodingKey {
        case text = "text/plain"
        case png = "image/png"
        case html = "text/html"
      }
    }

    let outputType = "display_data"
    let data: MimeBundle
    let metadata = EmptyObject()

    enum CodingKeys: String, CodingKey {
      case outputType = "output_type"
      case data
      case metadata
    }
  }

  /// A cell's value: text and, for reports and tables, HTML (nbformat's execute_result).
  struct ExecuteResult: Encodable {
    struct MimeBundle: Encodable {
      let text: [String]
      let html: [String]?

      enum CodingKeys: String, CodingKey {
        case text = "text/plain"
        case html = "text/html"
      }
    }

    let outputType = "execute_result"
    let executionCount: Int?
    let data: MimeBundle
    let metadata = EmptyObject()

    enum CodingKeys: String, CodingKey {
      case outputType = "output_type"
      case executionCount = "execution_count"
      case data
      case metadata
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(outputType, forKey: .outputType)
      try container.encode(executionCount, forKey: .executionCount)  // null when the cell did not run
      try container.encode(data, forKey: .data)
      try container.encode(metadata, forKey: .metadata)
    }
  }

  struct ErrorOutput: Encodable {
    let outputType = "error"
    let name: String
    let value: String
    let traceback: [String]

    enum CodingKeys: String, CodingKey {
      case outputType = "output_type"
      case name = "ename"
      case value = "evalue"
      case traceback
    }
  }

  /// `{}`
  struct EmptyObject: Encodable {}
}
