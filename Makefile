# The two set-up commands of the README:
#   make demo   installs pointe in .venv, counts the bundled demo music and composes a ballet on it
#   make test   installs pointe with its test tools in .venv and runs the whole test suite
#   make web    rebuilds the 3D preview's viewer (web/, needs Node) into the package
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint web bench-data bench bench-peers validate-gltf validate-bvh train-data \
	train clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p demo-out
	$(BIN)/pointe counts -o demo-out/counts.txt --map demo-out/music.json \
		--png demo-out/music.png --html demo-out/music.html
	$(BIN)/pointe make --dancers 3 -o demo-out/ballet
	cat demo-out/ballet/counts.txt
	@echo "Wrote demo-out/: counts.txt, music.json, music.png, music.html and ballet/ (ballet.yaml, counts.txt, motion/, preview.html)"

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts training

# The preview's viewer: TypeScript in web/, bundled with three.js into
# src/pointe/export/preview_assets/ and committed, so installing pointe needs no Node. Rebuild it
# after changing web/, reproducibly: the exact versions of the lockfile.
web:
	cd web && npm ci && npm run build

# The motion's glTF checked by the Khronos glTF-Validator (npm; needs Node, like `make web`).
GLTF_VALIDATOR := build/gltf-validator
validate-gltf: $(STAMP)
	test -d $(GLTF_VALIDATOR)/node_modules/gltf-validator || \
		npm install --prefix $(GLTF_VALIDATOR) --no-save gltf-validator@2.0.0-dev.3.10
	$(BIN)/python benchmarks/gltf_validator.py --modules $(GLTF_VALIDATOR)/node_modules

# The motion's BVH read back by Blender's own importer (Blender as a Python module, GPL: in a
# venv of its own, never part of pointe's install).
BLENDER := .venv-blender
validate-bvh: $(STAMP)
	test -x $(BLENDER)/bin/python || $(PYTHON) -m venv $(BLENDER)
	$(BLENDER)/bin/python -c "import bpy" 2>/dev/null || \
		$(BLENDER)/bin/python -m pip install --quiet bpy==5.0.1 numpy
	$(BIN)/python benchmarks/blender_bvh.py --blender-python $(BLENDER)/bin/python --minutes 3

# The benchmark renders its data set with FluidSynth and a General MIDI SoundFont (Debian).
bench-data: $(STAMP)
	command -v fluidsynth >/dev/null && test -f /usr/share/sounds/sf2/FluidR3_GM.sf2 || \
		{ apt-get update -q && apt-get install -y -q fluidsynth fluid-soundfont-gm; }
	$(BIN)/python benchmarks/dataset.py --out benchmarks/data/rendered

bench: bench-data
	$(BIN)/python benchmarks/counts.py

# Side by side with essentia (AGPL-3.0) and madmom (models CC BY-NC-SA 4.0) in a venv of their
# own, so the project's .venv keeps only permissive licences.
PEERS := .venv-peers
bench-peers: bench-data
	test -x $(PEERS)/bin/python || $(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/python -m pip install --quiet -e '.[bench,peers]'
	$(PEERS)/bin/python benchmarks/counts.py

# Retrain the beat network: render the corpus (about 10 minutes on 2 cores), then train (CPU:
# about 25 minutes for 45 epochs) and join the new network with the shipped first one
# (docs/tracker.md). Writes src/pointe/music/beatnet.npz.
train-data:
	command -v fluidsynth >/dev/null && test -f /usr/share/sounds/sf2/FluidR3_GM.sf2 || \
		{ apt-get update -q && apt-get install -y -q fluidsynth fluid-soundfont-gm; }
	$(BIN)/python training/make_data.py --out training/data --seed 0

train: train-data
	$(BIN)/python -m pip install --quiet -e '.[train]'
	$(BIN)/python training/train.py --data training/data --seed 0 --epochs 45
	$(BIN)/python training/ensemble.py src/pointe/music/beatnet.npz:0 training/members/seed0.npz

clean:
	rm -rf $(VENV) $(PEERS) demo-out .pytest_cache
