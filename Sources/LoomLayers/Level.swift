import LoomGraph
