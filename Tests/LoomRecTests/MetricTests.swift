import Foundation
import Testing

@testable import LoomRec

@Suite struct MetricTests {
  func value(_ name: String, _ ranks: [Int]) throws -> Double { try MetricName(parsing: name).value(ranks: ranks) }

  @Test func oneTargetAtRankThree() throws {
    #expect(try value("hr@5", [3]) == 1)
    #expect(close(try value("ndcg@5", [3]), 0.5))  // 1 / log2(4)
    #expect(close(try value("mrr@5", [3]), 1.0 / 3))
    #expect(try value("recall@5", [3]) == 1)
    #expect(close(try value("precision@5", [3]), 0.2))
    #expect(close(try value("map@5", [3]), 1.0 / 3))
    for name in ["hr@2", "ndcg@2", "mrr@2", "recall@2", "precision@2", "map@2"] {
      #expect(try value(name, [3]) == 0)
    }
  }

  @Test func threeTargetsWithTwoHits() throws {
    let ranks = [7, 1, 4]
    #expect(try value("hr@5", ranks) == 1)
    // DCG = 1/log2(2) + 1/log2(5); IDCG = 1 + 1/log2(3) + 1/log2(4).
    let dcg = 1 + 1 / log2(5.0)
    let idcg = 1 + 1 / log2(3.0) + 0.5
    #expect(close(try value("ndcg@5", ranks), dcg / idcg))
    #expect(close(try value("ndcg@5", ranks), 0.671_386, 1e-6))
    #expect(try value("mrr@5", ranks) == 1)
    #expect(close(try value("recall@5", ranks), 2.0 / 3))
    #expect(close(try value("precision@5", ranks), 0.4))
    // AP@5 = (1/1 + 2/4) / min(3, 5) = 0.5.
    #expect(close(try value("map@5", ranks), 0.5))
    // K smaller than |T|: AP@2 = (1/1) / 2; IDCG has two terms.
    #expect(close(try value("map@2", ranks), 0.5))
    #expect(close(try value("ndcg@2", ranks), 1 / (1 + 1 / log2(3.0))))
  }

  @Test func namesParseWithAnyCaseAndNeedACutoff() throws {
    #expect(try MetricName(parsing: "NDCG@10") == MetricName(name: "ndcg", k: 10))
    #expect(try MetricName(parsing: "hr@20").description == "hr@20")
    for bad in ["ndcg", "foo@3", "hr@0", "hr@x", "hr@1@2"] {
      #expect(dataError { _ = try MetricName(parsing: bad) }?.kind == .badOption)
    }
    #expect(Set(Metrics.registry.keys) == ["hr", "ndcg", "mrr", "recall", "precision", "map"])
  }
}
