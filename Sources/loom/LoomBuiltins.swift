import Glibc
import LoomLang

/// The builtins the executable offers: Loom's standard library, drawing progress bars and text
/// plots when standard output is a terminal.
enum LoomBuiltins {
  static func all(terminal: Bool = isatty(STDOUT_FILENO) != 0) -> Builtins {
    Builtins.standard(StandardEnvironment(terminal: terminal))
  }
}
