/// k-core filtering: repeatedly removes interactions of users with fewer than `minUser` and of
/// items with fewer than `minItem` interactions until no count falls below its threshold
/// (MIN §5.1.1 keeps users and items with at least five records, following its reference [23]).
enum CoreFilter {
  /// - Parameters: `users[i]`, `items[i]` are dense indices of interaction i.
  /// - Returns: which interactions survive and how many passes it took to become stable.
  static func filter(
    users: [Int], items: [Int], userCount: Int, itemCount: Int, minUser: Int, minItem: Int
  ) -> (keep: [Bool], rounds: Int) {
    var keep = [Bool](repeating: true, count: users.count)
    if minUser <= 1 && minItem <= 1 { return (keep, 0) }
    var rounds = 0
    while true {
      var userCounts = [Int](repeating: 0, count: userCount)
      var itemCounts = [Int](repeating: 0, count: itemCount)
      for i in users.indices where keep[i] {
        userCounts[users[i]] += 1
        itemCounts[items[i]] += 1
      }
      var changed = false
      for i in users.indices where keep[i] {
        if userCounts[users[i]] < minUser || itemCounts[items[i]] < minItem {
          keep[i] = false
          changed = true
        }
      }
      rounds += 1
      if !changed { return (keep, rounds) }
    }
  }
}
