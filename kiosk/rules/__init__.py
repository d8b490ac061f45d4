"""Screening, field, jurisdiction and item rules for a ``p2c-report/1`` document."""

from kiosk.rules.report import CATEGORIES, DISPOSITIONS, PLACE_TYPES, Validation, validate_report

__all__ = ["CATEGORIES", "DISPOSITIONS", "PLACE_TYPES", "Validation", "validate_report"]
