import Testing

@testable import LoomRec

@Suite struct DescribeTests {
  @Test func printsTheTableOneStatistics() {
    var data = dataset([[1, 2, 3], [2]], itemCount: 4)
    data.name = "tiny"
    data.features["visual"] = FeatureMatrix(zeros: 5, cols: 3)
    data.text = TextVocabulary.build(itemWords: [[], ["a", "b"], ["a"], [], ["c"]], minCount: 1, maxWords: 4)
    data.notes = ["dropped 1 items (1 without visual)"]
    #expect(
      describe(data) == """
        tiny
          users          2
          items          4
          interactions   4
          avg length     2.00
          density        50.0000%
          visual         [5, 3]
          text           vocabulary 5 words, up to 4 per item (avg 1.0)
          note           dropped 1 items (1 without visual)
        """)
  }
}
