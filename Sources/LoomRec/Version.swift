/// Loom's version, the one place it is set: `loom --version` prints `loom 0.9.0`.
public let loomVersion = "0.9.0"
