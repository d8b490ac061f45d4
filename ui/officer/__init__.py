"""Officer mode's screens: the login behind the system-use notice, the review queue, a report's detail with the
decisions, and the officers' administration. English only (desk officers); the citizen's side is bilingual.

Everything here calls the core's services (``kiosk.officers``, ``kiosk.review``); no widget reads the database.
"""
