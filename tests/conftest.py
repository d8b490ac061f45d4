"""Shared test set-up. Qt must run headless here: set the platform before any QApplication exists."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
