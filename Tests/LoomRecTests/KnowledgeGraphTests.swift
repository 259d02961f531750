import Foundation
import LoomTensor
import Testing

@testable import LoomRec

func approx(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-5) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}

@Suite struct KnowledgeGraphTests {
  @Test func truncatedSVDOfATallMatrix() throws {
    // A = [[3, 0], [0, 4], [0, 0]]: singular values 4, 3; left vectors e2, e1.
    let (u, s) = try truncatedSVD(rows: 3, cols: 2, values: [3, 0, 0, 4, 0, 0], rank: 2)
    #expect(approx(s, [4, 3]))
    #expect(approx(u, [0, 1, 1, 0, 0, 0]))
    let (u1, s1) = try truncatedSVD(rows: 3, cols: 2, values: [3, 0, 0, -4, 0, 0], rank: 1)
    #expect(approx(s1, [4]))
    #expect(approx(u1, [0, 1, 0]))  // sign fixed: largest entry positive
  }

  @Test func truncatedSVDOfAWideMatrix() throws {
    let (u, s) = try truncatedSVD(rows: 2, cols: 3, values: [3, 0, 0, 0, 4, 0], rank: 5)
    #expect(approx(s, [4, 3]))
    #expect(approx(u, [0, 1, 1, 0]))
  }

  @Test func truncatedSVDReconstructsTheGramMatrix() throws {
    var random = DataRandom(seed: 3)
    let (rows, cols) = (5, 7)
    let a = (0..<(rows * cols)).map { _ in Float(random.normal()) }
    let (u, s) = try truncatedSVD(rows: rows, cols: cols, values: a, rank: rows)
    for i in 0..<rows {
      for j in 0..<rows {
        var exact: Float = 0
        for c in 0..<cols { exact += a[i * cols + c] * a[j * cols + c] }
        var rebuilt: Float = 0
        for k in 0..<rows { rebuilt += u[i * rows + k] * s[k] * s[k] * u[j * rows + k] }
        #expect(abs(exact - rebuilt) < 1e-3)
      }
    }
  }

  @Test func randomizedSVDAgreesWithTheExactOne() throws {
    // A = Σ_{i=1}^{8} (10 / i) a_i b_iᵀ + small noise, [300, 200]: rank 5 takes the randomized
    // path, rank 60 the exact one.
    var random = DataRandom(seed: 12)
    let (rows, cols) = (300, 200)
    var a = (0..<(rows * cols)).map { _ in Float(0.01 * random.normal()) }
    for i in 1...8 {
      let left = (0..<rows).map { _ in Float(random.normal()) / Float(rows).squareRoot() }
      let right = (0..<cols).map { _ in Float(random.normal()) / Float(cols).squareRoot() }
      for r in 0..<rows { for c in 0..<cols { a[r * cols + c] += 10 / Float(i) * left[r] * right[c] } }
    }
    let fast = try truncatedSVD(rows: rows, cols: cols, values: a, rank: 5)
    let exact = try truncatedSVD(rows: rows, cols: cols, values: a, rank: 60)
    for j in 0..<5 {
      #expect(abs(fast.s[j] - exact.s[j]) < 1e-3 * exact.s[j])
      var dot: Float = 0
      for r in 0..<rows { dot += fast.u[r * 5 + j] * exact.u[r * 60 + j] }
      #expect(abs(dot - 1) < 1e-3)
    }
  }

  func graph(link: String, kg: String) throws -> [String: [String]] {
    try KnowledgeGraphFeatures.neighbours(
      link: AtomicTable.parse("item_id:token\tentity_id:token\n" + link, file: "d.link"),
      kg: AtomicTable.parse("head_id:token\trelation_id:token\ttail_id:token\n" + kg, file: "d.kg"),
      itemField: "item_id")
  }

  /// Inner products of feature rows i, j (internal ids).
  func dot(_ f: FeatureMatrix, _ i: Int, _ j: Int) -> Float {
    zip(f.row(i), f.row(j)).reduce(0) { $0 + $1.0 * $1.1 }
  }

  @Test func neighboursGoBothWaysAndAreDeduplicated() throws {
    let n = try graph(link: "x\tex\ny\tey\n", kg: "ex\tactor\ta1\na1\tacted_in\tey\nex\tactor\ta1\nex\tgenre\tg\n")
    #expect(n["x"] == ["a1", "g"])
    #expect(n["y"] == ["a1"])
  }

  @Test func featuresReproduceTheWeightedOverlapDirectly() throws {
    // x: a1 g a3; y: a1; z: a2 g. Entities on one item (a2, a3) are dropped; w = ln(3/2).
    let n = try graph(
      link: "x\tex\ny\tey\nz\tez\n",
      kg: "ex\tactor\ta1\ney\tactor\ta1\nez\tactor\ta2\nex\tgenre\tg\nez\tgenre\tg\nex\tactor\ta3\n")
    let f = try KnowledgeGraphFeatures.features(items: ["[PAD]", "x", "y", "z"], neighbours: n, rank: 8)
    let w2 = Float(log(1.5) * log(1.5))
    #expect(f.rows == 4 && f.cols == 2)
    #expect(Array(f.row(0)) == [0, 0])
    #expect(abs(dot(f, 1, 1) - 2 * w2) < 1e-5)
    #expect(abs(dot(f, 1, 2) - w2) < 1e-5)
    #expect(abs(dot(f, 1, 3) - w2) < 1e-5)
    #expect(abs(dot(f, 2, 3)) < 1e-5)
  }

  @Test func featuresThroughTheGramMatrixWhenEntitiesOutnumberItems() throws {
    // x: a1 a2 a3 a4; y: a1 a2 a3; z: a4 a5 -> four shared entities for three items.
    let n = try graph(
      link: "x\tex\ny\tey\nz\tez\n",
      kg: "ex\tr\ta1\nex\tr\ta2\nex\tr\ta3\nex\tr\ta4\ney\tr\ta1\ney\tr\ta2\ney\tr\ta3\nez\tr\ta4\nez\tr\ta5\n")
    let f = try KnowledgeGraphFeatures.features(items: ["[PAD]", "x", "y", "z"], neighbours: n, rank: 3)
    let w2 = Float(log(1.5) * log(1.5))
    #expect(abs(dot(f, 1, 1) - 4 * w2) < 1e-4)
    #expect(abs(dot(f, 1, 2) - 3 * w2) < 1e-4)
    #expect(abs(dot(f, 1, 3) - w2) < 1e-4)
    #expect(abs(dot(f, 2, 3)) < 1e-4)
    #expect(abs(dot(f, 3, 3) - w2) < 1e-4)
  }

  @Test func loadsKnowledgeGraphFeaturesAndDropsUnlinkedItems() throws {
    let path = try makeDirectory(
      "films",
      [
        "films.inter": "user_id:token\titem_id:token\nu\tx\nu\ty\nu\tz\nv\tq\n",
        "films.link": "item_id:token\tentity_id:token\nx\tex\ny\tey\nz\tez\n",
        "films.kg": "head_id:token\trelation_id:token\ttail_id:token\nex\tactor\ta1\ney\tactor\ta1\nez\tgenre\tg\nex\tgenre\tg\n",
      ])
    let data = try Dataset.load(directory: path, visual: .knowledgeGraph(rank: 4))
    #expect(data.itemIDs == ["[PAD]", "x", "y", "z"])
    #expect(data.userIDs == ["u"])
    #expect(data.features["visual"]?.rows == 4)
    #expect(data.notes.contains("dropped 1 items (1 without visual)"))
    let missingKG = dataError {
      _ = try Dataset.load(
        directory: try makeDirectory("bare", ["bare.inter": "user_id:token\titem_id:token\nu\tx\n"]),
        visual: .knowledgeGraph(rank: 4))
    }
    #expect(missingKG?.kind == .missingFile)
  }
}
