# The two commands of the README. Both install what is missing first.
PRESET ?= release
BUILD := build/$(PRESET)
JOBS ?= $(shell nproc)

.PHONY: deps build run test unit integration bench clean deb

deps:
	scripts/install-deps.sh

build: deps
	cmake --preset $(PRESET)
	cmake --build --preset $(PRESET) -j $(JOBS)

run: build
	BRAMKA_BIN=$(BUILD)/src/app/bramka scripts/run-demo.sh

test: build
	ctest --preset $(PRESET) -j $(JOBS)

unit: build
	ctest --preset $(PRESET) -j $(JOBS) -L unit

integration: build
	ctest --preset $(PRESET) -j $(JOBS) -L integration

bench: build
	scripts/bench.sh

# The Debian package of the build (PRESET=debug reuses the debug build; stripped).
deb:
	cmake --preset $(PRESET)
	cmake --build --preset $(PRESET) -j $(JOBS) --target bramka
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf build
