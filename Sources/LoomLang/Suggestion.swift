/// Finds the known name nearest to a misspelled one, for `help: did you mean 'dim'?`.
public enum Suggestion {
  /// The candidate with the smallest edit distance, if it is close enough to be a likely typo:
  /// at most 1 edit for names up to 3 characters, 2 up to 6, then a third of the length.
  public static func nearest(to name: String, among candidates: some Sequence<String>) -> String? {
    let limit = name.count <= 3 ? 1 : name.count <= 6 ? 2 : name.count / 3
    var best: (name: String, distance: Int)?
    for candidate in candidates where candidate != name {
      let distance = editDistance(name.lowercased(), candidate.lowercased())
      if distance <= limit, distance < (best?.distance ?? Int.max) {
        best = (candidate, distance)
      }
    }
    return best?.name
  }

  /// Levenshtein distance (insertions, deletions, substitutions each cost 1), O(|a|·|b|).
  public static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
        current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }

  /// `did you mean 'x'?` or nil.
  public static func help(for name: String, among candidates: some Sequence<String>) -> String? {
    nearest(to: name, among: candidates).map { "did you mean '\($0)'?" }
  }
}
