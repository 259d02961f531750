import LoomLayers
