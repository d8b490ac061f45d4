"""Receipts and report copies (reportlab) and their dispatch to a printer or a PDF spool.

Depends on :mod:`kiosk`, never the other way round. The documents themselves come with the receipts issue; until
then this package is empty on purpose and nothing imports it.
"""
