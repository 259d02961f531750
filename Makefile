# The two commands of the README, and the install:
#   make run       builds Loom and runs Examples/quickstart.loom on the built-in data set
#   make test      builds Loom and its tests once, then runs the whole suite
#   make install   builds Loom and copies the `loom` binary to $(PREFIX)/bin (PREFIX=/usr/local)
# Each first installs the Debian packages Loom links against (Scripts/setup.sh, idempotent).
export PATH := /opt/swift/usr/bin:$(PATH)

# One configuration for everything, so `run` and `test` share a single release build.
# Tests run in parallel threads, each test's ops on one thread unless it asks for more (Loom's
# results are the same on any thread count; the tests that compare counts set them themselves).
# BUILD_DIR moves SwiftPM's build directory (its --scratch-path) elsewhere.
BUILD_DIR ?= .build
SWIFT_FLAGS = -c release -Xswiftc -enable-testing --scratch-path $(BUILD_DIR)

# `make install PREFIX=$HOME/.local`; DESTDIR stages the install for packaging.
PREFIX ?= /usr/local
BINDIR = $(DESTDIR)$(PREFIX)/bin

.PHONY: setup build run test install uninstall
setup:
	@bash Scripts/setup.sh

build: setup
	swift build $(SWIFT_FLAGS) --product loom

# One BLAS thread: the numbers in Docs/experiments.md. OpenBLAS splits sums by thread count, so
# other counts change the last digits and, through 8 epochs of training, the third decimal.
run: build
	OPENBLAS_NUM_THREADS=1 $(BUILD_DIR)/release/loom run Examples/quickstart.loom

test: setup
	@bash Examples/get-ml100k.sh || echo "note: MovieLens-100k could not be fetched; its integration tests report a skip"
	@bash Examples/get-minilm.sh || echo "note: all-MiniLM-L6-v2 could not be fetched; the sentence encoder's reference tests report a skip"
	swift build $(SWIFT_FLAGS) --build-tests
	OPENBLAS_NUM_THREADS=1 swift test $(SWIFT_FLAGS) --skip-build
	@# The Jupyter kernel driven by real clients (jupyter_kernel_test, jupyter_client), in a
	@# virtualenv the script makes, with JUPYTER_PATH in a temporary folder.
	OPENBLAS_NUM_THREADS=1 bash Scripts/kernel-tests.sh .build/release/loom
	@# The ONNX export checked by onnx.checker and ONNX Runtime (PyPI, in the same virtualenv).
	OPENBLAS_NUM_THREADS=1 bash Scripts/onnx-tests.sh .build/release/loom

# The binary carries its prelude (compiled in from prelude.loom), so it is the one file to copy.
install: build
	install -d $(BINDIR)
	install -m 755 $(BUILD_DIR)/release/loom $(BINDIR)/loom

uninstall:
	rm -f $(BINDIR)/loom
