import Foundation
import LoomFiles
import LoomGraph
import LoomLayers
import LoomTensor

/// A trained model kept on disk: the Loom source and call that rebuild it, the data set it was
/// made for, the training position (epoch, Adam's step, best epoch) and every parameter with
/// its two Adam moments, so that a resumed run continues exactly where it stopped (Adam's
/// update reads only θ, m, v and t; see `Adam`).
///
/// File layout, version 1 (all integers and floats little-endian):
///
///     offset        size  content
///     0             8     magic "LOOMCKPT"
///     8             4     UInt32 format version (1)
///     12            4     UInt32 H, header length in bytes
///     16            8     UInt64 P, payload length in bytes
///     24            H     UTF-8 JSON header: modelSource, modelCall, dataName, itemCount, epoch,
///                         optimizerStep, bestEpoch (absent when nil), metadata, and
///                         parameters [{name, shape}] in payload order (keys sorted)
///     24 + H        P     per parameter in header order: values, moment1, moment2, each
///                         shape.count Float32 (so P = 12 · Σ shape.count)
///     24 + H + P    4     UInt32 CRC-32 (IEEE) of bytes 0 ..< 24 + H + P
///
/// Reading checks, in this order: the magic, the version, that the file is exactly
/// 28 + H + P bytes long, the checksum, then the header. So a cut-off copy reports
/// `truncated` and any flipped byte after the length fields reports `checksumMismatch`.
public struct Checkpoint: Sendable, Equatable {
  /// The format version this build writes and reads.
  public static let currentVersion = 1

  /// One parameter's state; `values`, `moment1` and `moment2` each hold `shape` row-major.
  public struct ParameterState: Sendable, Equatable {
    /// The model's checkpoint name, e.g. `gru#1.w_hh`.
    public var name: String
    public var shape: [Int]
    public var values: [Float]
    /// Adam's first and second moment estimates.
    public var moment1: [Float]
    public var moment2: [Float]

    public init(name: String, shape: [Int], values: [Float], moment1: [Float], moment2: [Float]) {
      self.name = name
      self.shape = shape
      self.values = values
      self.moment1 = moment1
      self.moment2 = moment2
    }

    /// Elements the shape holds (1 for a scalar).
    public var count: Int { shape.reduce(1, *) }
  }

  public var formatVersion: Int
  /// The Loom source text of the model function (its `def`).
  public var modelSource: String
  /// The call that built the model from that source, e.g. `MIN(data, dim: 64)`.
  public var modelCall: String
  public var dataName: String
  /// Real items of the data set the model was built for (ids 1...itemCount).
  public var itemCount: Int
  /// Epochs completed.
  public var epoch: Int
  /// Adam's update count t (bias correction), restored with the moments on resume.
  public var optimizerStep: Int
  /// The epoch whose parameters early stopping keeps, when known.
  public var bestEpoch: Int?
  /// Free notes (seed, loss, learning rate, Loom version...), kept verbatim.
  public var metadata: [String: String]
  /// In the model's parameter order.
  public var parameters: [ParameterState]

  public init(
    modelSource: String, modelCall: String, dataName: String, itemCount: Int, epoch: Int = 0,
    optimizerStep: Int = 0, bestEpoch: Int? = nil, metadata: [String: String] = [:],
    parameters: [ParameterState]
  ) {
    formatVersion = Self.currentVersion
    self.modelSource = modelSource
    self.modelCall = modelCall
    self.dataName = dataName
    self.itemCount = itemCount
    self.epoch = epoch
    self.optimizerStep = optimizerStep
    self.bestEpoch = bestEpoch
    self.metadata = metadata
    self.parameters = parameters
  }

  /// Copies the current values and Adam moments of every parameter of `model`.
  public init(
    capturing model: Recommender, source: String, call: String, dataName: String, epoch: Int = 0,
    optimizerStep: Int = 0, bestEpoch: Int? = nil, metadata: [String: String] = [:]
  ) {
    let states = model.parameters.map { entry -> ParameterState in
      let p = entry.weight.parameter
      func copy(_ storage: TensorStorage) -> [Float] { Array(UnsafeBufferPointer(start: storage.pointer, count: p.count)) }
      return ParameterState(
        name: entry.name, shape: p.shape.dims, values: copy(p.value), moment1: copy(p.moment1), moment2: copy(p.moment2))
    }
    self.init(
      modelSource: source, modelCall: call, dataName: dataName, itemCount: model.catalog.itemCount, epoch: epoch,
      optimizerStep: optimizerStep, bestEpoch: bestEpoch, metadata: metadata, parameters: states)
  }

  /// Writes the parameters and moments into `model` (and Adam's step into `optimizer`).
  ///
  /// Everything is checked before anything is written, so a refused checkpoint leaves the model
  /// untouched: the item count, then every model parameter in order (present, same shape), then
  /// parameters the model does not have. The first problem is reported by name with both shapes.
  /// A restored model counts as trained, so a later `fit` continues from these values.
  public func apply(to model: Recommender, optimizer: Adam? = nil, file: String = "checkpoint") throws {
    let rebuild = "rebuild the model with \(modelCall.isEmpty ? "the call that made the checkpoint" : modelCall)"
    guard itemCount == model.catalog.itemCount else {
      throw CheckpointError(
        .itemCountMismatch, file: file,
        "checkpoint was made for \(itemCount) items, this data set has \(model.catalog.itemCount)",
        help: "restore it with the data set it was trained on ('\(dataName)', \(itemCount) items)")
    }
    var byName: [String: ParameterState] = [:]
    for state in parameters { byName[state.name] = state }
    var checked: [(parameter: Parameter, state: ParameterState)] = []
    for (name, weight) in model.parameters {
      let shape = weight.parameter.shape.dims
      guard let state = byName.removeValue(forKey: name) else {
        throw CheckpointError(
          .missingParameter, file: file, "the model has parameter '\(name)' \(shape) but the checkpoint does not",
          help: "the checkpoint was saved from another model; \(rebuild)")
      }
      guard state.shape == shape else {
        throw CheckpointError(
          .shapeMismatch, file: file,
          "parameter '\(name)' has shape \(state.shape) in the checkpoint but \(shape) in the model",
          help: "the model was built with other sizes; \(rebuild)")
      }
      try state.checkCounts(file: file)
      checked.append((weight.parameter, state))
    }
    if let extra = parameters.first(where: { byName[$0.name] != nil }) {
      throw CheckpointError(
        .unexpectedParameter, file: file, "the checkpoint has parameter '\(extra.name)' \(extra.shape) that the model lacks",
        help: "the checkpoint was saved from another model; \(rebuild)")
    }
    for (p, state) in checked {
      p.value.pointer.update(from: state.values, count: p.count)
      p.moment1.pointer.update(from: state.moment1, count: p.count)
      p.moment2.pointer.update(from: state.moment2, count: p.count)
    }
    optimizer?.step = optimizerStep
    model.trained = true
    model.parametersChanged()
  }

  /// Writes the checkpoint atomically: a temporary file in the same directory, flushed to disk,
  /// then renamed over `path`. On error `path` keeps its old content and no temporary remains.
  public func write(to path: String) throws {
    let file = (path as NSString).lastPathComponent
    let bytes = try encoded(file: file)
    do {
      try writeAtomically(bytes, to: path)
    } catch let failure as AtomicWriteFailure {
      throw CheckpointError(
        .cannotWrite, file: file, "cannot write the checkpoint: \(failure.reason)",
        help: "choose a path in an existing, writable directory")
    }
  }

  /// Reads and checks a checkpoint file (see the layout above).
  public static func read(from path: String) throws -> Checkpoint {
    let file = (path as NSString).lastPathComponent
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
      throw CheckpointError(
        .cannotRead, file: file, "no checkpoint file at '\(path)'", help: "check the path; save(model, path) writes one")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CheckpointError(.cannotRead, file: file, "cannot read '\(path)'", help: "check the file's permissions")
    }
    return try Checkpoint(decoding: [UInt8](data), file: file)
  }
}

extension Checkpoint.ParameterState {
  /// Values and both moments hold exactly `shape.count` numbers.
  func checkCounts(file: String) throws {
    guard shape.allSatisfy({ $0 >= 0 }), values.count == count, moment1.count == count, moment2.count == count else {
      throw CheckpointError(
        .shapeMismatch, file: file,
        "parameter '\(name)' of shape \(shape) holds \(values.count) values and \(moment1.count), \(moment2.count) moments",
        help: "each of values, moment1 and moment2 needs \(count) numbers")
    }
  }
}
