"""P2C Lobby Kiosk: the Qt-free core (report format, rules, tracking numbers, store, services).

Nothing in this package imports Qt, ``ui``, ``printing`` or ``server``; the one exception is the command-line
entry point (``kiosk.cli``), which imports the faces inside the subcommands that need them.
"""

__version__ = "0.1.0"
