"""Messages of the officers part of officer mode, merged into :data:`kiosk.messages.CATALOG` (code -> (English,
Spanish)); the same completeness checks apply.

The fields these messages are about (username, password, display name, badge number) have no entry in
:data:`kiosk.messages.LABELS`, so each message names its field in its own words instead of using ``{label}``.
"""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str]] = {
    "login.refused": ("Those details did not work. Check the username and password and try again. After 5 wrong "
                      "tries in 15 minutes an account is locked until an administrator unlocks it.",
                      "Esos datos no funcionaron. Revise el usuario y la contraseña e inténtelo de nuevo. Después de "
                      "5 intentos fallidos en 15 minutos la cuenta se bloquea hasta que un administrador la "
                      "desbloquee."),
    "password.too_short": ("The password is too short: use at least {min} characters. A few unrelated words make a "
                           "long password that is easy to remember.",
                           "La contraseña es demasiado corta: use al menos {min} caracteres. Unas cuantas palabras "
                           "sin relación entre sí forman una contraseña larga y fácil de recordar."),
    "password.too_long": ("The password is too long: use at most {max} characters.",
                          "La contraseña es demasiado larga: use como máximo {max} caracteres."),
    "password.is_username": ("The password must not be the username or contain it. Choose a password that has "
                             "nothing to do with the username.",
                             "La contraseña no puede ser el nombre de usuario ni contenerlo. Elija una contraseña "
                             "que no tenga nada que ver con el nombre de usuario."),
    "password.common": ("This password is on the list of the most common passwords, which are guessed first. "
                        "Choose another one.",
                        "Esta contraseña está en la lista de las contraseñas más comunes, que son las primeras que "
                        "se prueban. Elija otra."),
    "password.mismatch": ("The two passwords typed are not the same. Type the same password twice.",
                          "Las dos contraseñas escritas no son iguales. Escriba la misma contraseña dos veces."),
    "password.missing": ("No password was given. Type the password (with --password-stdin, on the first line of "
                         "standard input).",
                         "No se dio ninguna contraseña. Escriba la contraseña (con --password-stdin, en la primera "
                         "línea de la entrada estándar)."),
    "officer.username_invalid": ("The username must be 2 to 32 characters long and use only lower-case letters "
                                 "(a-z), digits, dots, dashes and underscores, for example j.smith.",
                                 "El nombre de usuario debe tener de 2 a 32 caracteres y usar solo letras minúsculas "
                                 "(a-z), dígitos, puntos, guiones y guiones bajos, por ejemplo j.smith."),
    "officer.username_taken": ("The username “{username}” is already taken. Choose another username.",
                               "El nombre de usuario «{username}» ya está en uso. Elija otro nombre de usuario."),
    "officer.not_found": ("There is no officer account with the username “{username}”. Check the spelling, or list "
                          "the accounts.",
                          "No hay ninguna cuenta de oficial con el nombre de usuario «{username}». Revise cómo está "
                          "escrito, o vea la lista de cuentas."),
    "officer.last_admin": ("“{username}” is the last active administrator: at least one must remain. Make another "
                           "officer an administrator first.",
                           "«{username}» es el último administrador activo: debe quedar al menos uno. Primero haga "
                           "administrador a otro oficial."),
    "officer.not_allowed": ("Only an administrator can do this. Ask an administrator to do it, or to sign in.",
                            "Solo un administrador puede hacer esto. Pida a un administrador que lo haga, o que "
                            "inicie sesión."),
    "officer.display_name_required": ("The display name is required: enter the officer's name as it should appear, "
                                      "for example Sgt. Jane Smith.",
                                      "El nombre visible es obligatorio: escriba el nombre del oficial como debe "
                                      "aparecer, por ejemplo Sgto. Jane Smith."),
    "officer.display_name_too_long": ("The display name is too long: use at most {max} characters.",
                                      "El nombre visible es demasiado largo: use como máximo {max} caracteres."),
    "officer.badge_required": ("The badge number is required: enter the number on the officer's badge.",
                               "El número de placa es obligatorio: escriba el número de la placa del oficial."),
    "officer.badge_too_long": ("The badge number is too long: use at most {max} characters.",
                               "El número de placa es demasiado largo: use como máximo {max} caracteres."),
    "officer.role_invalid": ("The role must be officer or admin.",
                             "El rol debe ser officer (oficial) o admin (administrador)."),
    "password.current_missing": ("Type your current password: it is needed to set a new one.",
                                 "Escriba su contraseña actual: se necesita para poner una nueva."),
    "password.current_wrong": ("This is not your current password. Type the password you log in with now. After 5 "
                               "wrong tries in 15 minutes the account is locked until an administrator unlocks it.",
                               "Esta no es su contraseña actual. Escriba la contraseña con la que inicia sesión "
                               "ahora. Después de 5 intentos fallidos en 15 minutos la cuenta se bloquea hasta que "
                               "un administrador la desbloquee."),
    "password.unchanged": ("The new password is the same as the current one. Choose a different password.",
                           "La nueva contraseña es igual a la actual. Elija una contraseña diferente."),
    "officer.own_account_closed": ("This account is now locked or disabled, so its password cannot be changed. Lock "
                                   "officer mode and ask an administrator to unlock the account or set a new "
                                   "password.",
                                   "Esta cuenta está ahora bloqueada o desactivada, así que no se puede cambiar su "
                                   "contraseña. Bloquee el modo oficial y pida a un administrador que desbloquee la "
                                   "cuenta o ponga una contraseña nueva."),
}
