import ArgumentParser
import LoomConsole
print("loom")
