import LoomLang

/// The builtins the executable offers: the language's core set; modules add theirs here.
enum LoomBuiltins {
  static func all() -> Builtins {
    Builtins.core()
  }
}
