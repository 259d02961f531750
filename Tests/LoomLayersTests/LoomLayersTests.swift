import Testing
@testable import LoomLayers
