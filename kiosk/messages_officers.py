"""Messages of the officers part of officer mode, merged into :data:`kiosk.messages.CATALOG` (code -> English text,
translated through the catalogues); the same completeness checks apply.

The fields these messages are about (username, password, display name, badge number) have no entry in
:data:`kiosk.messages.LABELS`, so each message names its field in its own words instead of using ``{label}``.
"""

from __future__ import annotations

from kiosk.translation import N_

CATALOG: dict[str, str] = {
    "login.refused": N_("Those details did not work. Check the username and password and try again. After 5 wrong "
                        "tries in 15 minutes an account is locked until an administrator unlocks it."),
    "password.too_short": N_("The password is too short: use at least {min} characters. A few unrelated words make a "
                             "long password that is easy to remember."),
    "password.too_long": N_("The password is too long: use at most {max} characters."),
    "password.is_username": N_("The password must not be the username or contain it. Choose a password that has "
                               "nothing to do with the username."),
    "password.common": N_("This password is on the list of the most common passwords, which are guessed first. "
                          "Choose another one."),
    "password.mismatch": N_("The two passwords typed are not the same. Type the same password twice."),
    "password.missing": N_("No password was given. Type the password (with --password-stdin, on the first line of "
                           "standard input)."),
    "officer.username_invalid": N_("The username must be 2 to 32 characters long and use only lower-case letters "
                                   "(a-z), digits, dots, dashes and underscores, for example j.smith."),
    "officer.username_taken": N_("The username “{username}” is already taken. Choose another username."),
    "officer.not_found": N_("There is no officer account with the username “{username}”. Check the spelling, or list "
                            "the accounts."),
    "officer.last_admin": N_("“{username}” is the last active administrator: at least one must remain. Make another "
                             "officer an administrator first."),
    "officer.not_allowed": N_("Only an administrator can do this. Ask an administrator to do it, or to sign in."),
    "officer.display_name_required": N_("The display name is required: enter the officer's name as it should appear, "
                                        "for example Sgt. Jane Smith."),
    "officer.display_name_too_long": N_("The display name is too long: use at most {max} characters."),
    "officer.badge_required": N_("The badge number is required: enter the number on the officer's badge."),
    "officer.badge_too_long": N_("The badge number is too long: use at most {max} characters."),
    "officer.role_invalid": N_("The role must be officer or admin."),
    "password.current_missing": N_("Type your current password: it is needed to set a new one."),
    "password.current_wrong": N_("This is not your current password. Type the password you log in with now. After 5 "
                                 "wrong tries in 15 minutes the account is locked until an administrator unlocks it."),
    "password.unchanged": N_("The new password is the same as the current one. Choose a different password."),
    "officer.own_account_closed": N_("This account is now locked or disabled, so its password cannot be changed. "
                                     "Lock officer mode and ask an administrator to unlock the account or set a new "
                                     "password."),
    "officer.language_unknown": N_("There is no translation for the language “{language}” on this kiosk. Choose "
                                   "one of the languages listed."),
}
