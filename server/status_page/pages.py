"""The status page's HTML, written out by hand: a few small pages do not need a template engine (the server has no
Jinja2, and the kiosk none either). Every value goes through :func:`html.escape`; nothing here runs a script.

Accessibility (WCAG 2.2 AA): ``<html lang>`` is the page's language; one ``h1`` per page; each field has a ``label``
and its hint and its error tied to it with ``aria-describedby`` (and ``aria-invalid`` when wrong); errors are also
listed at the top under a heading, each a link to its field; the field in error gets ``autofocus`` (no script needed);
the focus outline is thick and visible (status.css); the colours meet 4.5:1 at least.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from urllib.parse import urlencode

from kiosk.lookup import CitizenStatus, explain
from kiosk.translation import cldr_locale, translation
from server.status_page import texts
from server.status_page.security import CSRF_FIELD

CSS_PATH = "/status/status.css"
# An example number or code in a hint (T26-01-00042-1, K7QM-2XHD): kept on one line, not broken at its hyphens.
_EXAMPLE = re.compile(r"\b[A-Z0-9]+(?:-[A-Z0-9]+)+\b")
FIELD_IDS = {"tracking_number": "tracking", "access_code": "code", "answer": "answer"}


@dataclass(frozen=True)
class PageContext:
    """What every page needs: its language, the languages to switch to, the department and the form token."""

    language: str
    languages: Sequence[str]
    department: str
    token: str
    chosen: bool = False  # the visitor chose the language (the switch), so it holds after a look-up


@dataclass
class Errors:
    """The problems to show: by field id (tracking, code, answer) and those of no field, rendered texts."""

    by_field: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.by_field or self.general)


def gettext(language: str, text: str) -> str:
    return translation(language).gettext(text)


def html_language(language: str) -> str:
    """The BCP 47 tag for ``<html lang>``: ``pt_BR`` -> ``pt-BR``."""
    return language.replace("_", "-")


def language_name(code: str) -> str:
    """The language's name in itself ("Español", "Português (Brasil)"), so a visitor finds their own."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def long_date(day: date, language: str) -> str:
    from babel.dates import format_date

    try:
        return str(format_date(day, format="long", locale=cldr_locale(language)))
    except (ValueError, LookupError):
        return str(format_date(day, format="long", locale=language.split("_")[0]))


def fill(text: str, *values: str) -> str:
    """Qt's place markers (%1, %2), as the kiosk's screens fill them, for the texts the page shares with them."""
    for number, value in reversed(list(enumerate(values, start=1))):
        text = text.replace(f"%{number}", value)
    return text


def document(context: PageContext, title: str, main: str, switch: str) -> str:
    lang = escape(html_language(context.language))
    return (
        "<!doctype html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)} – {escape(context.department)}</title>\n"
        f'<link rel="stylesheet" href="{CSS_PATH}">\n</head>\n<body>\n'
        f'<header><p class="department">{escape(context.department)}</p></header>\n'
        f"<main>\n{main}</main>\n"
        f"<footer>{switch}</footer>\n</body>\n</html>\n"
    )


def _error_summary(context: PageContext, errors: Errors) -> str:
    if not errors:
        return ""
    items = [f'<li><a href="#{escape(field_id)}">{escape(text)}</a></li>' for field_id, text in errors.by_field.items()]
    items += [f"<li>{escape(text)}</li>" for text in errors.general]
    heading = escape(gettext(context.language, texts.PROBLEM_HEADING))
    return (f'<div class="problems" role="alert" aria-labelledby="problems-heading">\n'
            f'<h2 id="problems-heading">{heading}</h2>\n<ul>\n' + "\n".join(items) + "\n</ul>\n</div>\n")


def _hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'


def _common_hidden(context: PageContext) -> str:
    parts = [_hidden(CSRF_FIELD, context.token)]
    if context.chosen:
        parts.append(_hidden("lang", context.language))
    return "\n".join(parts)


def _text_field(field_id: str, name: str, label: str, hint: str, value: str, error: str | None,
                autofocus: bool) -> str:
    described = [f"{field_id}-hint"] + ([f"{field_id}-error"] if error else [])
    attributes = [f'id="{field_id}"', f'name="{name}"', 'type="text"', f'value="{escape(value)}"',
                  'autocomplete="off"', 'autocapitalize="characters"', 'spellcheck="false"', "required",
                  f'aria-describedby="{" ".join(described)}"']
    if error:
        attributes.append('aria-invalid="true"')
    if autofocus:
        attributes.append("autofocus")
    error_html = f'<p class="error" id="{field_id}-error">{escape(error)}</p>\n' if error else ""
    return (f'<div class="field{" invalid" if error else ""}">\n'
            f'<label for="{field_id}">{escape(label)}</label>\n'
            f'<p class="hint" id="{field_id}-hint">{_unbroken_examples(escape(hint))}</p>\n{error_html}'
            f"<input {' '.join(attributes)}>\n</div>\n")


def _unbroken_examples(html_text: str) -> str:
    return _EXAMPLE.sub(lambda match: f'<span class="number">{match.group(0)}</span>', html_text)


def form_page(context: PageContext, tracking: str = "", errors: Errors | None = None) -> str:
    """The look-up form (GET /status, and again with the problems after a refused look-up)."""
    errors = errors or Errors()
    t = context.language
    first_wrong = next(iter(errors.by_field), None)
    fields = (_text_field("tracking", "t", gettext(t, texts.TRACKING_NUMBER), gettext(t, texts.TRACKING_HINT),
                          tracking, errors.by_field.get("tracking"), first_wrong == "tracking")
              + _text_field("code", "code", gettext(t, texts.ACCESS_CODE), gettext(t, texts.ACCESS_CODE_HINT), "",
                            errors.by_field.get("code"), first_wrong == "code"))
    title = gettext(t, texts.CHECK_A_REPORT)
    main = (f"<h1>{escape(title)}</h1>\n{_error_summary(context, errors)}"
            f"<p>{escape(gettext(t, texts.INTRO))}</p>\n"
            f'<form method="post" action="/status" novalidate>\n{_common_hidden(context)}\n{fields}'
            f'<p class="note">{escape(gettext(t, texts.KEEP_CODE_PRIVATE))}</p>\n'
            f'<button type="submit">{escape(gettext(t, texts.CHECK))}</button>\n</form>\n')
    return document(context, title, main, _switch_links(context, tracking))


def status_page(context: PageContext, status: CitizenStatus, code: str, answer_max: int, answer_min: int,
                answer: str = "", errors: Errors | None = None, answered: bool = False) -> str:
    """A report's status (after a look-up), with the answer form when the officer asked for more information, or
    the thanks after an answer."""
    errors = errors or Errors()
    t = context.language
    title = gettext(t, texts.YOUR_REPORT)
    # The number is kept on one line (a phone would break it at a hyphen).
    sent = fill(escape(gettext(t, texts.TRACKING_SENT_ON)),
                f'<span class="number">{escape(str(status.tracking_number))}</span>',
                escape(long_date(status.submitted_at.date(), t)))
    parts = [f"<h1>{escape(title)}</h1>\n", _error_summary(context, errors)]
    if answered:
        parts.append(f'<p class="done" role="status">{escape(gettext(t, texts.ANSWERED))}</p>\n')
    parts.append(f'<p class="tracking">{sent}</p>\n')
    parts.append(f'<h2>{escape(gettext(t, texts.STATUS_HEADING))}</h2>\n'
                 f'<p class="status">{escape(explain(status, t))}</p>\n')
    if status.can_answer and not answered:
        error = errors.by_field.get("answer")
        described = "answer-hint answer-limits" + (" answer-error" if error else "")
        invalid = ' aria-invalid="true" autofocus' if error else ""
        error_html = f'<p class="error" id="answer-error">{escape(error)}</p>\n' if error else ""
        limits = gettext(t, texts.ANSWER_LIMITS).format(min=answer_min, max=answer_max)
        parts.append(
            f'<form method="post" action="/status/answer" novalidate>\n{_common_hidden(context)}\n'
            f'{_hidden("t", str(status.tracking_number))}\n{_hidden("code", code)}\n'
            f'<div class="field{" invalid" if error else ""}">\n'
            f'<label for="answer">{escape(gettext(t, texts.YOUR_ANSWER))}</label>\n'
            f'<p class="hint" id="answer-hint">{escape(gettext(t, texts.ANSWER_HINT))}</p>\n'
            f'<p class="hint" id="answer-limits">{escape(limits)}</p>\n{error_html}'
            f'<textarea id="answer" name="answer" rows="8" required aria-describedby="{described}"{invalid}>'
            f"{escape(answer)}</textarea>\n</div>\n"
            f'<button type="submit">{escape(gettext(t, texts.SEND))}</button>\n</form>\n')
    again = "/status?" + urlencode({"lang": t}) if context.chosen else "/status"
    parts.append(f'<p><a href="{escape(again)}">{escape(gettext(t, texts.CHECK_ANOTHER))}</a></p>\n')
    return document(context, title, "".join(parts), _switch_buttons(context, str(status.tracking_number), code))


def unavailable_page(context: PageContext, message: str) -> str:
    """The page when the look-up could not be made at all (the database is down): the message and a way back."""
    title = gettext(context.language, texts.CHECK_A_REPORT)
    main = (f"<h1>{escape(title)}</h1>\n<p class=\"error\">{escape(message)}</p>\n"
            f'<p><a href="/status">{escape(gettext(context.language, texts.CHECK_ANOTHER))}</a></p>\n')
    return document(context, title, main, "")


def _switch_links(context: PageContext, tracking: str) -> str:
    """The language switch of the form: plain links (GET, nothing personal but the tracking number from a link)."""
    items = []
    for code in context.languages:
        query: Mapping[str, str] = {"lang": code, **({"t": tracking} if tracking else {})}
        name = escape(language_name(code))
        if code == context.language:
            items.append(f'<li><a href="/status?{escape(urlencode(query))}" aria-current="true" '
                         f'lang="{escape(html_language(code))}">{name}</a></li>')
        else:
            items.append(f'<li><a href="/status?{escape(urlencode(query))}" '
                         f'lang="{escape(html_language(code))}">{name}</a></li>')
    label = escape(gettext(context.language, texts.LANGUAGE))
    return (f'<nav aria-labelledby="language-heading">\n<h2 id="language-heading">{label}</h2>\n<ul class="languages">'
            + "".join(items) + "</ul>\n</nav>\n")


def _switch_buttons(context: PageContext, tracking: str, code: str) -> str:
    """The language switch of a status page: buttons that look the report up again in another language (a POST,
    since the access code may travel only in a request's body)."""
    buttons = []
    for language in context.languages:
        current = ' aria-current="true"' if language == context.language else ""
        buttons.append(f'<li><button type="submit" name="switch" value="{escape(language)}"{current} '
                       f'lang="{escape(html_language(language))}">{escape(language_name(language))}</button></li>')
    label = escape(gettext(context.language, texts.LANGUAGE))
    return (f'<nav aria-labelledby="language-heading">\n<h2 id="language-heading">{label}</h2>\n'
            f'<form method="post" action="/status">\n{_hidden(CSRF_FIELD, context.token)}\n'
            f'{_hidden("t", tracking)}\n{_hidden("code", code)}\n<ul class="languages">'
            + "".join(buttons) + "</ul>\n</form>\n</nav>\n")
