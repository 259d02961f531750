/// A value that belongs to another module (a data set, a symbolic layer node, a model, a training
/// history, an evaluation report, a figure) and travels through Loom programs unchanged.
///
/// Conform a type to make it a Loom value: `Value.host(myDataset)`. Only `typeName` and
/// `description` are required; fields, indexing, length and iteration are optional and
/// default to "not supported", which Loom reports as a clear error.
public protocol HostValue: CustomStringConvertible {
  /// Shown by `type(x)` and in messages: `dataset`, `node`, `model`, `history`, `report`.
  var typeName: String { get }
  /// Field names, for `x.name` and for tab completion after `x.`.
  var fieldNames: [String] { get }
  /// The value of `x.name`, or nil if there is no such field.
  func field(_ name: String) throws -> Value?
  /// The value of `x[index]`, or nil if this value cannot be indexed.
  func element(at index: Value) throws -> Value?
  /// `len(x)`, or nil if the value has no length.
  var length: Int? { get }
  /// The elements `for v in x` visits, or nil if the value cannot be iterated.
  func elements() throws -> [Value]?
  /// Whether `==` holds; by default, identity for classes and false otherwise.
  func isEqual(to other: any HostValue) -> Bool
  /// An HTML form for notebook front ends (reports and tables), or nil for text only.
  var html: String? { get }
}

extension HostValue {
  public var fieldNames: [String] { [] }
  public func field(_ name: String) throws -> Value? { nil }
  public func element(at index: Value) throws -> Value? { nil }
  public var length: Int? { nil }
  public func elements() throws -> [Value]? { nil }
  public func isEqual(to other: any HostValue) -> Bool { false }
  public var html: String? { nil }
}

extension HostValue where Self: AnyObject {
  public func isEqual(to other: any HostValue) -> Bool {
    guard let other = other as? Self else { return false }
    return self === other
  }
}
