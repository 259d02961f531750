import Testing

@testable import LoomLang

/// Names from PyTorch and RecBole are answered with Loom's own name.
struct FamiliarNamesTests {
  let builtins = Builtins.standard(StandardEnvironment(terminal: false))

  @Test func trainPointsAtFit() {
    let (_, diagnostics) = runLoom("d = synthetic(users: 20, items: 30, seed: 1)\nh = train(d)", builtins: builtins)
    #expect(diagnostics.map(\.message) == ["unknown name 'train'"])
    #expect(diagnostics.first?.help == "Loom's name for this is 'fit'; :help fit shows how to call it")
    #expect(diagnostics.first?.location.line == 2)
  }

  /// `lstm` is three edits from `str`, which the typo rule would otherwise offer.
  @Test func lstmPointsAtGruNotAtStr() {
    let (_, diagnostics) = runLoom("x = LSTM(1, 2)", builtins: builtins)
    #expect(
      diagnostics.first?.help == "Loom's name for this is 'gru' (Loom's recurrent layer is a GRU); :help gru shows how to call it"
    )
  }

  @Test func aTypoStillGetsTheTypoHint() {
    let (_, diagnostics) = runLoom("d = synthetic(users: 20, items: 30, seed: 1)\nm = SASRek(d)", builtins: builtins)
    #expect(diagnostics.first?.help == "did you mean 'SASRec'?")
  }

  /// Only names the program can see are offered, and a user's own `train` is just a function.
  @Test func onlyVisibleNamesAreOfferedAndOwnDefinitionsWin() {
    let (_, core) = runLoom("h = train(1)")
    #expect(core.first?.message == "unknown name 'train'")
    #expect(core.first?.help == nil)
    let (output, diagnostics) = runLoom("def train(x) { x + 1 }\nprint(train(1))")
    #expect(diagnostics.isEmpty)
    #expect(output == "2\n")
  }
}
