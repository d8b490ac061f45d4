"""``python -m kiosk``: the core's commands alone (no window, no printing); the whole program is ``p2c-kiosk``
(``python -m p2c_kiosk``)."""

from kiosk.cli import main

raise SystemExit(main())
