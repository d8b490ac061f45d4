"""The status page's own texts (English, the catalogue's message ids), translated through the catalogues like every
other text. The page reuses what the kiosk's "Check a report" screens already say (their labels, kiosk.lookup's
``lookup.*`` messages and :func:`kiosk.lookup.explain`), so the lobby screen and the web page say the same thing;
these are only the texts a web page needs and the kiosk's screens do not have."""

from __future__ import annotations

from kiosk.translation import N_

# The kiosk's own texts, reused (the same message ids as ui/lookup, so one translation serves both).
CHECK_A_REPORT = N_("Check a report")
TRACKING_NUMBER = N_("Tracking number")
TRACKING_HINT = N_("It starts with T, for example T26-01-00042-1.")
ACCESS_CODE = N_("Access code")
ACCESS_CODE_HINT = N_("8 letters and digits, for example K7QM-2XHD.")
CHECK = N_("Check")
YOUR_REPORT = N_("Your report")
TRACKING_SENT_ON = N_("Tracking number %1, sent on %2")  # Qt's place markers, filled by fill() below
YOUR_ANSWER = N_("Your answer")
ANSWER_HINT = N_("Answer the officer's question in your own words.")
SEND = N_("Send")
ANSWERED = N_("Thank you. Your answer was added to your report. An officer will read it.")
LANGUAGE = N_("Language")

# The web page's own.
INTRO = N_("Enter the tracking number and the access code printed on your receipt to see where your report is.")
KEEP_CODE_PRIVATE = N_("Keep your access code to yourself: anyone who has it can read your report's status.")
PROBLEM_HEADING = N_("There is a problem")
ANSWER_LIMITS = N_("Write at least {min} and at most {max} characters.")
CHECK_ANOTHER = N_("Check another report")
EXPIRED = N_("This page has expired, or your browser did not send its cookie back. Enter your tracking number and "
             "access code again; this page needs cookies to be allowed.")
TOO_LARGE = N_("What you sent is too large. An answer may have at most {max} characters; shorten it and send it "
               "again.")
BAD_FORM = N_("The form could not be read. Enter your tracking number and access code again.")
STATUS_HEADING = N_("Status")
