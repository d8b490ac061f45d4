"""What a printer's printer-state-reasons mean for a receipt (printing.printer_state): the keyword decides, at any
severity, because CUPS and IPP printers word the same empty roll as an error, a warning or a report."""

from __future__ import annotations

import pytest

from printing.printer_state import Found, Problem, describe, problem_of, problems_of, split_reason, todo


@pytest.mark.parametrize(("reason", "split"), [
    ("media-empty-error", ("media-empty", "error")),
    ("media-low-warning", ("media-low", "warning")),
    ("cover-open-report", ("cover-open", "report")),
    ("media-jam", ("media-jam", "error")),  # no suffix: an error (RFC 8011 5.4.12)
    ("cups-waiting-for-job-completed", ("cups-waiting-for-job-completed", "error")),
])
def test_a_reason_splits_into_keyword_and_severity(reason, split):
    assert split_reason(reason) == split


@pytest.mark.parametrize(("reason", "problem"), [
    ("media-empty-error", Problem.PAPER_OUT),
    ("media-empty-warning", Problem.PAPER_OUT),
    ("media-empty-report", Problem.PAPER_OUT),
    ("media-needed-warning", Problem.PAPER_OUT),
    ("media-jam-error", Problem.PAPER_JAM),
    ("cover-open-report", Problem.COVER_OPEN),
    ("door-open-error", Problem.COVER_OPEN),
    ("offline-report", Problem.OFFLINE),
    ("toner-empty-error", Problem.INK_OUT),
    ("paused", Problem.STOPPED),
    ("media-low-report", Problem.PAPER_LOW),
    ("media-low-error", Problem.PAPER_LOW),  # low is low, whatever the severity
    ("toner-low-warning", Problem.INK_LOW),
    ("other-error", Problem.PRINTER_ERROR),
    ("spool-area-full", Problem.PRINTER_ERROR),
    ("something-new-warning", Problem.PRINTER_WARNING),
    ("something-new-report", None),
    ("cups-waiting-for-job-completed", None),
    ("cups-missing-filter-warning", None),
    ("connecting-to-device", None),
    ("none", None),
])
def test_what_each_reason_means_for_a_receipt(reason, problem):
    assert problem_of(reason) is problem


def test_faults_and_warnings():
    assert all(problem.fault for problem in Problem if problem not in (Problem.PAPER_LOW, Problem.INK_LOW,
                                                                          Problem.PRINTER_WARNING))
    assert not Problem.PAPER_LOW.fault and not Problem.INK_LOW.fault and not Problem.PRINTER_WARNING.fault


def test_problems_come_once_each_in_the_order_to_fix_them():
    found = problems_of(["media-low-warning", "media-empty-warning", "media-needed-warning", "media-jam-error"],
                        queue_stopped=True, accepting=False)
    assert [item.problem for item in found] == [Problem.PAPER_JAM, Problem.PAPER_OUT, Problem.STOPPED,
                                               Problem.NOT_ACCEPTING, Problem.PAPER_LOW]
    assert found[1] == Found(Problem.PAPER_OUT, "media-empty-warning")  # the first value that said it
    assert describe(found[1:3]) == "out of paper (media-empty-warning), queue stopped"
    assert todo(found[1:4], "RECEIPTS") == ("load a new roll of receipt paper; once the printer is fixed, start its "
                                           "queue again: sudo cupsenable RECEIPTS; let the queue take jobs again: "
                                           "sudo cupsaccept RECEIPTS")


def test_a_healthy_printer_has_no_problem():
    assert problems_of(["cups-waiting-for-job-completed"]) == []
    assert problems_of([]) == []
