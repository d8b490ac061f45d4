"""A report's decisions on its detail page: the Approve, Request more information and Reject buttons, their dialogs,
and what follows a confirm (the core is asked, a refusal goes back beside its field, a decision stored reloads the
page and says what happened; another officer's decision first is told plainly). The original's number that the officer
types for a duplicate is read here, where it comes in; a malformed one is refused beside its field before the core is
asked."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton

from kiosk.config import Config
from kiosk.messages import Problem
from kiosk.tracking import TrackingNumber, TrackingNumberError
from kiosk.translation import N_, SOURCE_LANGUAGE
from kiosk.vocabulary import EventAction
from ui.officer.card_dialog import CardDialog
from ui.officer.common import button, problem_text
from ui.officer.decision_dialogs import (
    ApproveDialog,
    ApproveValues,
    RejectDialog,
    RejectValues,
    RequestInfoDialog,
    RequestInfoValues,
)

if TYPE_CHECKING:
    from kiosk.officers import OfficerSession
    from kiosk.review import Decision, ReviewService
    from ui.officer.detail_view import DetailView


class DecisionFlow(QObject):
    """``decided(tracking_number)`` follows each decision stored. ``number_from_server``: an approval's official
    number comes from the department server (the approve dialog says so)."""

    decided = Signal(object)  # a TrackingNumber (a str signal would hand the slot a plain str)

    def __init__(self, view: DetailView, review: ReviewService, session: OfficerSession, config: Config, *,
                 number_from_server: bool) -> None:
        super().__init__(view)
        self._view = view
        self._review = review
        self._session = session
        self.approve_button = button("approve_button", N_("Approve"), "officer_primary")
        self.request_info_button = button("request_info_button", N_("Request more information"))
        self.reject_button = button("reject_button", N_("Reject"), "officer_danger")
        self.approve_button.clicked.connect(self.ask_approve)
        self.request_info_button.clicked.connect(self.ask_request_info)
        self.reject_button.clicked.connect(self.ask_reject)

        from kiosk.review import REJECT_REASONS, default_next_steps

        self.approve_dialog = ApproveDialog(view, number_from_server=number_from_server)
        self.request_info_dialog = RequestInfoDialog(view)
        self.reject_dialog = RejectDialog(view, REJECT_REASONS,
                                          lambda reason, language: default_next_steps(reason, language, config))
        self.approve_dialog.submitted.connect(self._approve)
        self.request_info_dialog.submitted.connect(self._request_info)
        self.reject_dialog.submitted.connect(self._reject)

    @property
    def buttons(self) -> tuple[QPushButton, ...]:
        return (self.approve_button, self.request_info_button, self.reject_button)

    @property
    def dialogs(self) -> tuple[CardDialog, ...]:
        return (self.approve_dialog, self.request_info_dialog, self.reject_dialog)

    def offer(self, decisions: Collection[str]) -> None:
        """Enable the decisions the report's status allows (ReportDetail.decisions)."""
        self.approve_button.setEnabled(EventAction.APPROVED in decisions)
        self.request_info_button.setEnabled(EventAction.INFO_REQUESTED in decisions)
        self.reject_button.setEnabled(EventAction.REJECTED in decisions)

    # -- asking -----------------------------------------------------------------------------------------------------

    def ask_approve(self) -> None:
        detail = self._view.detail
        if detail is None:
            return
        code, title = self._view.chosen_nibrs()
        self.approve_dialog.prepare(detail.tracking_number, code, title)
        self.approve_dialog.open()

    def ask_request_info(self) -> None:
        detail = self._view.detail
        if detail is None:
            return
        self.request_info_dialog.prepare(detail.tracking_number)
        self.request_info_dialog.open()

    def ask_reject(self) -> None:
        detail = self._view.detail
        if detail is None:
            return
        hint = detail.duplicates[0].tracking_number if detail.duplicates else ""
        self.reject_dialog.prepare(detail.tracking_number, detail.report.get("language", SOURCE_LANGUAGE), hint)
        self.reject_dialog.open()

    # -- deciding ---------------------------------------------------------------------------------------------------

    def _approve(self, values: ApproveValues) -> None:
        decision = self._decide(self.approve_dialog, self._review.approve, nibrs_code=values["nibrs_code"],
                                message=values["message"])
        if decision is not None:
            if decision.official_number:
                self._view.message_card.show_message(
                    N_("Approved"), N_("Report %1 is approved.\nOfficial report number: %2"), decision.tracking_number,
                    decision.official_number)
            else:
                self._view.message_card.show_message(
                    N_("Approved"), N_("Report %1 is approved.\nThe official report number comes from the department "
                                       "server when the kiosk next syncs; until then the report shows \"official "
                                       "number pending\". The citizen's e-mail is sent with the number."),
                    decision.tracking_number)

    def _request_info(self, values: RequestInfoValues) -> None:
        decision = self._decide(self.request_info_dialog, self._review.request_info, question=values["question"],
                                phone_note=values["phone_note"])
        if decision is not None:
            self._view.message_card.show_message(
                N_("More information requested"), N_("Report %1 now waits for the citizen's answer."),
                decision.tracking_number)

    def _reject(self, values: RejectValues) -> None:
        original: TrackingNumber | None = None
        if values["duplicate_of"] is not None:
            try:
                original = TrackingNumber.parse(values["duplicate_of"])
            except TrackingNumberError as exc:
                self.reject_dialog.show_problems([Problem("duplicate_of", exc.code)])
                return
        decision = self._decide(self.reject_dialog, self._review.reject, reason=values["reason"],
                                next_steps=values["next_steps"], duplicate_of=original, message=values["message"])
        if decision is not None:
            self._view.message_card.show_message(N_("Rejected"), N_("Report %1 is rejected."), decision.tracking_number)

    def _decide(self, dialog: CardDialog, action: Callable[..., Decision], **values: object) -> Decision | None:
        """Ask the core for the decision; None when it refused (the dialog shows why) or someone decided first."""
        from kiosk.review import ReviewConflict, ReviewInputError

        view = self._view
        if view.detail is None:
            return None
        try:
            decision = action(view.detail.tracking_number, self._session, expected_version=view.detail.version,
                              **values)
        except ReviewInputError as exc:
            dialog.show_problems(exc.problems)
            return None
        except ReviewConflict as exc:
            dialog.close_dialog()
            view.reload()
            view.message_card.show_message(N_("Someone else acted first"), "%1", problem_text(exc.problem))
            return None
        dialog.close_dialog()
        view.reload()
        self.decided.emit(decision.tracking_number)
        return decision
