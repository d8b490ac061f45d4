# The two commands a new person needs: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOME_DIR ?= data

.PHONY: run test lint bench bench-receipt screenshots translations bundle system-deps constraints clean

# A new development data folder starts with [storage] encryption = "off" (said in kiosk.toml and in the log at every
# start), so that `make run` works on a machine without a keyring; docs/encryption.md says how to run it encrypted.
run: system-deps $(STAMP) translations
	@test -f $(HOME_DIR)/kiosk.toml || { mkdir -p $(HOME_DIR) && \
	  $(BIN)/python -m kiosk.config_file --development > $(HOME_DIR)/kiosk.toml; }
	$(BIN)/p2c-kiosk --home $(HOME_DIR) run --windowed

test: system-deps $(STAMP) translations
	$(BIN)/ruff check kiosk ui printing server tests benchmarks
	$(BIN)/mypy  # the packages and modes are in pyproject.toml [tool.mypy]
	@bash scripts/start-cups.sh  # a local CUPS scheduler with the virtual PDF printers the printing tests use
	@bash scripts/start-ipp-printer.sh  # faulty IPP printers (out of paper, jam, cover open, low) behind CUPS queues
	cd tests/browser && npm ci --no-audit --no-fund --silent  # axe-core, pinned with its integrity, for tests/browser
	@# A local PostgreSQL cluster for the sync server's tests (empty when it cannot start; those tests then say why).
	P2C_TEST_POSTGRES_URL=$${P2C_TEST_POSTGRES_URL:-$$(bash scripts/start-postgres.sh)} \
	  QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check kiosk ui printing server tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/store.py
	$(BIN)/python benchmarks/encryption.py  # SQLCipher's cost: submit encrypted vs plaintext, open time (issue 17)
	$(BIN)/python benchmarks/receipt.py

bench-receipt: $(STAMP)
	$(BIN)/python benchmarks/receipt.py

screenshots: $(STAMP) translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m ui.screenshots screenshots
	$(BIN)/python -m ui.keyboard_screenshots screenshots  # the on-screen keyboard up, under Xvfb at three sizes

# The translation catalogues: each resources/locale/<code>/LC_MESSAGES/p2c.po compiled to p2c.mo (Babel). After
# changing a marked text: `$(BIN)/python scripts/translations.py update`, translate, then `make translations`.
translations: $(STAMP)
	$(BIN)/python scripts/translations.py compile

# A one-folder PyInstaller bundle in dist/p2c-kiosk/ (build.spec).
bundle: $(STAMP) translations
	$(BIN)/pyinstaller --noconfirm --log-level WARN build.spec

system-deps:
	@bash scripts/install-system-deps.sh

# The virtualenv, rebuilt when the declared or pinned dependencies change.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,bundle,server]'
	touch $(STAMP)

# After changing a range in pyproject.toml: reinstall from the ranges and pin what was installed.
constraints:
	$(BIN)/python -m pip install --quiet -e '.[test,bundle,server]'
	( head -n 2 constraints.txt; $(BIN)/python -m pip freeze --exclude-editable ) > constraints.new
	mv constraints.new constraints.txt

clean:
	rm -rf $(VENV) build dist screenshots .pytest_cache .ruff_cache resources/locale/*/LC_MESSAGES/*.mo
