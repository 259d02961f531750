# The two commands of the README:
#   make run    builds Loom and runs Examples/quickstart.loom on the built-in data set
#   make test   builds Loom and its tests once, then runs the whole suite
# Both first install the Debian packages Loom links against (Scripts/setup.sh, idempotent).
export PATH := /opt/swift/usr/bin:$(PATH)

# One configuration for everything, so `run` and `test` share a single release build.
# Tests run in parallel threads; one BLAS thread keeps them deterministic and never changes the
# OpenBLAS thread pool under a running call.
SWIFT_FLAGS = -c release -Xswiftc -enable-testing

.PHONY: setup build run test
setup:
	@bash Scripts/setup.sh

build: setup
	swift build $(SWIFT_FLAGS) --product loom

# One BLAS thread: the numbers in Docs/experiments.md. OpenBLAS splits sums by thread count, so
# other counts change the last digits and, through 8 epochs of training, the third decimal.
run: build
	OPENBLAS_NUM_THREADS=1 .build/release/loom run Examples/quickstart.loom

test: setup
	@bash Examples/get-ml100k.sh || echo "note: MovieLens-100k could not be fetched; its integration tests report a skip"
	@bash Examples/get-minilm.sh || echo "note: all-MiniLM-L6-v2 could not be fetched; the sentence encoder's reference tests report a skip"
	swift build $(SWIFT_FLAGS) --build-tests
	OPENBLAS_NUM_THREADS=1 swift test $(SWIFT_FLAGS) --skip-build
