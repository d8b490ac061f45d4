"""The citizen wizard: one module per page, a QWizard that branches with ``nextId()``, and the report as plain data.

Pages never store anything: the wizard gathers their answers into a ``p2c-report/1`` dict and hands it to the report
service (``validate`` on every Next, ``submit`` on the review page). Problems come back with field paths; each page
shows those that belong to it next to their fields.
"""
