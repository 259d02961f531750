/// Every builtin a Loom program can call: the core (print, len, ...), layers, data, training,
/// experiments and plots.
extension Builtins {
  public static func standard(_ environment: StandardEnvironment) -> Builtins {
    let b = Builtins.core()
    LayerBuiltins.register(in: b)
    DataBuiltins.register(in: b)
    TrainingBuiltins.register(in: b, environment: environment)
    b.register(
      "compare(models, data, runs: 5, k: [10, 20], **options)",
      doc: "train each model runs times (seeds 1...runs); mean ± std and paired t-test p against the first"
    ) { a, context in
      try Compare.run(a, context, environment)
    }
    InspectionBuiltins.register(in: b)
    PersistenceBuiltins.register(in: b)
    PersistenceBuiltins.registerONNX(in: b)
    PlotBuiltins.register(in: b, environment: environment)
    return b
  }
}
