"""The wizard's page ids. Main pages in order; referral pages (where a report cannot be taken) after them."""

from __future__ import annotations

from enum import IntEnum


class PageId(IntEnum):
    SCREEN_EMERGENCY = 0
    SCREEN_IN_CITY = 1
    SCREEN_SUSPECT = 2
    CATEGORY = 3
    WHO = 4
    WHEN = 5
    WHERE = 6
    WHAT = 7
    HOW = 8
    REVIEW = 9
    DONE = 10
    REFER_EMERGENCY = 20
    REFER_OUTSIDE_CITY = 21
    REFER_SUSPECT = 22
    REFER_OTHER = 23


# The pages whose answers the review page shows, each with an Edit button, in order.
REVIEWED = (PageId.CATEGORY, PageId.WHO, PageId.WHEN, PageId.WHERE, PageId.WHAT, PageId.HOW)
REFERRALS = (PageId.REFER_EMERGENCY, PageId.REFER_OUTSIDE_CITY, PageId.REFER_SUSPECT, PageId.REFER_OTHER)
