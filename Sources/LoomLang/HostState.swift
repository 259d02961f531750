/// A key of `HostState`: the key is the type itself, and `Value` the type of what it stores.
///
///     enum Losses: HostStateKey { typealias Value = [String] }
///     context.hostState[Losses.self] = ["MIN:0.5"]
public protocol HostStateKey {
  associatedtype Value
}

/// A per-interpreter store for other modules' state (for example the graph under construction),
/// one value per key type.
public final class HostState {
  /// What a key stores; the key's `Value` says which box to expect.
  private final class Box<Value> {
    let value: Value
    init(_ value: Value) { self.value = value }
  }

  private var storage: [ObjectIdentifier: AnyObject] = [:]

  public init() {}

  public subscript<Key: HostStateKey>(key: Key.Type) -> Key.Value? {
    get { (storage[ObjectIdentifier(key)] as? Box<Key.Value>)?.value }
    set { storage[ObjectIdentifier(key)] = newValue.map { Box($0) as AnyObject } }
  }

  public func removeAll() { storage.removeAll() }
}
