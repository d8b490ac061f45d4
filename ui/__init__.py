"""The PySide6 face of the kiosk: the application shell, the citizen pages and the theme.

Nothing in ``kiosk/`` imports this package; the command-line entry point wires it in (``run_kiosk``).
"""
