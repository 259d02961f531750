import Testing
@testable import LoomGraph
