import Foundation
import LoomTensor

/// Dense item features from a knowledge graph: RecBole's `.link` (item_id, entity_id) maps items
/// to entities, `.kg` (head_id, relation_id, tail_id) links entities. Each item's neighbours are
/// the entities one triple away from its own entity (in either direction).
///
/// The item–entity matrix M has M[i, e] = idf(e) = ln(N / df(e)) when entity e neighbours item i
/// (N items, df(e) items next to e); entities next to a single item carry no similarity and are
/// left out. The features are the rank-k latent semantic coordinates U_k Σ_k of the truncated SVD
/// M ≈ U_k Σ_k V_kᵀ (LAPACK sgesdd). With more entities than items the SVD of the Gram matrix
/// G = M Mᵀ = U Σ² Uᵀ gives the same U and Σ from an [N, N] matrix.
enum KnowledgeGraphFeatures {
  /// Raw item id -> neighbouring entity ids (deduplicated, in file order).
  static func neighbours(link: AtomicTable, kg: AtomicTable, itemField: String) throws
    -> [String: [String]]
  {
    let linkItem = link.strings(try link.fieldIndex(itemField, purpose: "item of each link"))
    let linkEntity = link.strings(try link.fieldIndex("entity_id", purpose: "entity of each link"))
    let heads = kg.strings(try kg.fieldIndex("head_id", purpose: "head entity of each triple"))
    let tails = kg.strings(try kg.fieldIndex("tail_id", purpose: "tail entity of each triple"))
    var itemsOfEntity: [String: [String]] = [:]
    for (item, entity) in zip(linkItem, linkEntity) { itemsOfEntity[entity, default: []].append(item) }
    var result: [String: [String]] = [:]
    var seen: [String: Set<String>] = [:]
    func add(_ item: String, _ entity: String) {
      if seen[item, default: []].insert(entity).inserted { result[item, default: []].append(entity) }
    }
    for (head, tail) in zip(heads, tails) {
      for item in itemsOfEntity[head] ?? [] { add(item, tail) }
      for item in itemsOfEntity[tail] ?? [] { add(item, head) }
    }
    return result
  }

  /// Features [items.count + 1, rank'] for internal items 1...n (`items[0]` is padding),
  /// rank' = min(rank, items, kept entities). Items without neighbours get zero rows.
  static func features(items: [String], neighbours: [String: [String]], rank: Int) throws
    -> FeatureMatrix
  {
    let n = items.count - 1
    var entityIndex: [String: Int] = [:]
    var itemEntities: [[Int]] = Array(repeating: [], count: n)
    for i in 0..<n {
      for entity in neighbours[items[i + 1]] ?? [] {
        let index = entityIndex[entity] ?? entityIndex.count
        entityIndex[entity] = index
        itemEntities[i].append(index)
      }
    }
    var df = [Int](repeating: 0, count: entityIndex.count)
    for entities in itemEntities { for e in entities { df[e] += 1 } }
    var column = [Int](repeating: -1, count: df.count)
    var weights: [Float] = []
    for e in df.indices where df[e] >= 2 {
      column[e] = weights.count
      weights.append(Float(log(Double(n) / Double(df[e]))))
    }
    let cols = weights.count
    let k = min(rank, n, cols)
    guard k > 0 else { return FeatureMatrix(zeros: n + 1, cols: max(rank, 1)) }

    let (u, s): ([Float], [Float])
    if cols <= n {
      var m = [Float](repeating: 0, count: n * cols)
      for i in 0..<n { for e in itemEntities[i] where column[e] >= 0 { m[i * cols + column[e]] = weights[column[e]] } }
      (u, s) = try truncatedSVD(rows: n, cols: cols, values: m, rank: k)
    } else {
      var itemsOfColumn: [[Int]] = Array(repeating: [], count: cols)
      for i in 0..<n { for e in itemEntities[i] where column[e] >= 0 { itemsOfColumn[column[e]].append(i) } }
      var gram = [Float](repeating: 0, count: n * n)
      for c in 0..<cols {
        let w2 = weights[c] * weights[c]
        for a in itemsOfColumn[c] { for b in itemsOfColumn[c] { gram[a * n + b] += w2 } }
      }
      let (ug, sg) = try truncatedSVD(rows: n, cols: n, values: gram, rank: k)
      (u, s) = (ug, sg.map { $0.squareRoot() })
    }
    var values = [Float](repeating: 0, count: (n + 1) * k)
    for i in 0..<n { for j in 0..<k { values[(i + 1) * k + j] = u[i * k + j] * s[j] } }
    return FeatureMatrix(rows: n + 1, cols: k, values: values)
  }
}
