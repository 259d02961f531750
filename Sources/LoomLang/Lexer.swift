import LoomRec
