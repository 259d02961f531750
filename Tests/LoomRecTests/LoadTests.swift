import Testing

@testable import LoomRec

@Suite struct LoadTests {
  static let inter = """
    user_id:token\titem_id:token\trating:float\ttimestamp:float
    a\tx\t5\t30
    a\ty\t4\t10
    b\ty\t3\t20
    a\tz\t2\t10
    b\tx\t1\t5

    """
  static let item = """
    item_id:token\ttitle:token_seq\tgenre:token_seq\tvec:float_seq
    x\tThe Red Shoe\tshoe red\t1 0
    y\tBlue Hat\that\t0 1
    z\tRed Hat\thats\t

    """

  func shop(_ extra: [String: String] = [:]) throws -> String {
    try makeDirectory("shop", ["shop.inter": Self.inter, "shop.item": Self.item].merging(extra) { $1 })
  }

  @Test func numbersByFirstAppearanceAndSortsByTimeKeepingFileOrderOnTies() throws {
    let data = try Dataset.load(directory: try shop())
    #expect(data.name == "shop")
    #expect(data.userIDs == ["a", "b"])
    #expect(data.itemIDs == ["[PAD]", "x", "y", "z"])
    #expect(data.itemCount == 3)
    // a: y@10, z@10 (tie, file order), x@30; b: x@5, y@20.
    #expect(data.sequences == [[2, 3, 1], [1, 2]])
    #expect(data.titles == ["", "The Red Shoe", "Blue Hat", "Red Hat"])
    #expect(data.interactionCount == 5)
  }

  @Test func textVocabularyCountsWordsAndCapsLength() throws {
    var options = LoadOptions()
    options.maxWords = 2
    let data = try Dataset.load(directory: try shop(), text: ["title"], options: options)
    let text = try #require(data.text)
    // Capped words: x: the, red; y: blue, hat; z: red, hat -> red 2, hat 2, blue 1, the 1.
    #expect(text.vocabulary == ["[PAD]", "[OOV]", "hat", "red", "blue", "the"])
    #expect(text.words == [0, 0, 5, 3, 4, 2, 3, 2])
    #expect(text.lengths == [0, 2, 2, 2])
  }

  @Test func rareWordsBecomeOutOfVocabulary() throws {
    var options = LoadOptions()
    options.minWordCount = 2
    let data = try Dataset.load(directory: try shop(), text: ["title", "genre"], options: options)
    let text = try #require(data.text)
    // x: the red shoe shoe red; y: blue hat hat; z: red hat hats -> red 3, hat 3, shoe 2.
    #expect(text.vocabulary == ["[PAD]", "[OOV]", "hat", "red", "shoe"])
    #expect(Array(text.words(of: 1)) == [1, 3, 4, 4, 3])
    #expect(Array(text.words(of: 3)) == [3, 2, 1])
  }

  @Test func missingVisualIsZeroFilledAndCounted() throws {
    var options = LoadOptions()
    options.missing = .zero
    let data = try Dataset.load(directory: try shop(), visual: .column("vec"), options: options)
    let visual = try #require(data.features["visual"])
    #expect(visual.rows == 4 && visual.cols == 2)
    #expect(visual.values == [0, 0, 1, 0, 0, 1, 0, 0])
    #expect(data.notes.contains("zero-filled 1 items (1 without visual)"))
  }

  @Test func missingVisualIsDroppedAndCounted() throws {
    let data = try Dataset.load(directory: try shop(), visual: FeatureSource("vec"))
    #expect(data.itemIDs == ["[PAD]", "x", "y"])
    #expect(data.sequences == [[2, 1], [1, 2]])
    #expect(data.features["visual"]?.values == [0, 0, 1, 0, 0, 1])
    #expect(data.notes.contains("dropped 1 items (1 without visual)"))
  }

  @Test func coreFilteringRepeatsUntilStable() throws {
    var options = LoadOptions()
    options.minUserInteractions = 3
    let kept = try Dataset.load(directory: try shop(), options: options)
    #expect(kept.userIDs == ["a"])
    #expect(kept.sequences == [[2, 3, 1]])
    // With items needing 2: z goes, then a has 2 < 3 and goes: nothing is left.
    options.minItemInteractions = 2
    let error = dataError { _ = try Dataset.load(directory: try shop(), options: options) }
    #expect(error?.kind == .emptyDataset)
  }

  @Test func coreFilterCountsPasses() {
    // Users 0,1,2; items 0,1,2. Removing user 2 (1 record) leaves item 2 with 1 record.
    let result = CoreFilter.filter(
      users: [0, 0, 1, 1, 2, 0, 1], items: [0, 1, 0, 1, 2, 2, 2], userCount: 3, itemCount: 3,
      minUser: 3, minItem: 3)
    #expect(result.keep == [false, false, false, false, false, false, false])
    let mild = CoreFilter.filter(
      users: [0, 0, 1, 1, 2], items: [0, 1, 0, 1, 0], userCount: 3, itemCount: 2, minUser: 2, minItem: 2)
    #expect(mild.keep == [true, true, true, true, false])
    #expect(mild.rounds == 2)
  }

  @Test func unknownTextFieldNamesTheFile() throws {
    let error = dataError { _ = try Dataset.load(directory: try shop(), text: ["titel"]) }
    #expect(error?.kind == .unknownField)
    #expect(error?.file == "shop.item")
  }

  @Test func unknownUserFieldNamesTheInterFile() throws {
    var options = LoadOptions()
    options.userField = "customer"
    let error = dataError { _ = try Dataset.load(directory: try shop(), options: options) }
    #expect(error?.kind == .unknownField)
    #expect(error?.file == "shop.inter")
  }

  @Test func aBadItemFileFailsTheWholeLoad() throws {
    let directory = try shop(["shop.item": "item_id:token\tvec:float_seq\nx\t1 0\ny\t0 x\n"])
    let error = dataError { _ = try Dataset.load(directory: directory, visual: .column("vec")) }
    #expect(error?.kind == .notANumber)
    #expect(error?.location == "shop.item:3:5")
  }

  @Test func vectorsOfDifferentLengthAreRejected() throws {
    let directory = try shop(["shop.item": "item_id:token\tvec:float_seq\nx\t1 0\ny\t0 1 2\n"])
    let error = dataError { _ = try Dataset.load(directory: directory, visual: .column("vec")) }
    #expect(error?.kind == .wrongColumnCount)
    #expect(error?.location == "shop.item:3")
  }

  @Test func missingDirectoryIsReported() {
    let error = dataError { _ = try Dataset.load(directory: "/nonexistent/loom-data") }
    #expect(error?.kind == .missingFile)
  }

  @Test func withoutTimestampFileOrderIsKept() throws {
    let directory = try makeDirectory("plain", ["plain.inter": "user_id:token\titem_id:token\nu\tb\nu\ta\n"])
    let data = try Dataset.load(directory: directory)
    #expect(data.sequences == [[1, 2]])
    #expect(data.notes.first?.contains("file order") == true)
  }

  @Test func visualSourceParsing() {
    #expect(FeatureSource("kg") == .knowledgeGraph(rank: 64))
    #expect(FeatureSource("kg:16") == .knowledgeGraph(rank: 16))
    #expect(FeatureSource("data/x/image.npy") == .npy(path: "data/x/image.npy", ids: nil))
    #expect(FeatureSource("vec") == .column("vec"))
  }
}
