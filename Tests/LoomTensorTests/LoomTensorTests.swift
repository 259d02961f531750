import Testing

@testable import LoomTensor
