"""The store's one error, in a module without peewee so that callers can name it without importing the database
layer (the kiosk window opens the database only after its first paint)."""


class StoreError(Exception):
    """The database could not be read or written (disk full, file locked, corrupt)."""
