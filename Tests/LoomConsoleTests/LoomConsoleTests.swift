import Testing
@testable import LoomConsole
