import Testing
@testable import LoomLang
