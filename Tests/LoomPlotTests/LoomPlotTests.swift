import Testing
@testable import LoomPlot
