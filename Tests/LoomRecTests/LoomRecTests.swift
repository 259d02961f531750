import Testing
@testable import LoomRec
