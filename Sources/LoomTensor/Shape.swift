/// The dimensions of a tensor, outermost first: `[32, 50, 64]` is 32 × 50 rows of 64 floats.
public struct Shape: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
  public var dims: [Int]

  public init(_ dims: [Int]) { self.dims = dims }
  public init(arrayLiteral elements: Int...) { self.dims = elements }

  public var rank: Int { dims.count }
  /// Number of elements; 1 for a scalar (rank 0).
  public var count: Int { dims.reduce(1, *) }
  /// The innermost dimension (1 for a scalar).
  public var last: Int { dims.last ?? 1 }
  /// Number of rows when the last axis is the feature axis: `count / last`.
  public var rows: Int { last == 0 ? 0 : count / last }

  public subscript(axis: Int) -> Int {
    get { dims[axis < 0 ? dims.count + axis : axis] }
    set { dims[axis < 0 ? dims.count + axis : axis] = newValue }
  }

  /// The same shape with the last axis replaced.
  public func withLast(_ n: Int) -> Shape {
    var d = dims
    if d.isEmpty { d = [n] } else { d[d.count - 1] = n }
    return Shape(d)
  }

  /// True when `other` equals the trailing dimensions of `self` (broadcast over leading axes).
  public func hasSuffix(_ other: Shape) -> Bool {
    other.rank <= rank && Array(dims.suffix(other.rank)) == other.dims
  }

  public var description: String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }
}
