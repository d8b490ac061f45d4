"""Checking a configuration against the declaration in ``kiosk.config``, with pydantic in strict mode.

Each section's dataclass becomes a pydantic model, made once from its fields: the type, the default, the
:class:`kiosk.config.Setting`'s constraints, its ``clean`` (before the type check) and ``check`` (after). Strict
mode refuses a value of another type (``true`` or ``"80"`` for a whole number); ``extra="forbid"`` refuses an unknown
section or key; pydantic reports every mistake in one go, and :func:`_explain` says each in plain English with its
dotted key and what would be accepted. Loaded only when a file has to be checked (kiosk.config).
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    create_model,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from kiosk.config import SECTIONS, Config, ConfigError, ConfigProblem, Refusal, Setting, default_of

_STRICT = ConfigDict(strict=True, extra="forbid", frozen=True)


def check_config(user: Mapping[str, Any]) -> Config:
    """The configuration with ``user`` (a parsed kiosk.toml) over the defaults; ConfigError lists every mistake."""
    try:
        checked = _file_model().model_validate(user)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A list with a refused item is also "too short after validation": the item says it already.
        itemised = {error["loc"][:2] for error in errors if len(error["loc"]) > 2}
        raise ConfigError([_explain(error) for error in errors
                           if not (error["type"] == "too_short" and error["loc"] in itemised)]) from None
    return Config(**{name: kind(**dict(getattr(checked, name))) for name, kind in SECTIONS.items()})


def config_schema() -> dict[str, Any]:
    """The JSON Schema of kiosk.toml: for each setting its type, limits, default, ``title``, ``description`` (the
    help), ``accepts`` and ``restart``. What a settings screen (or another tool) can lay out its fields from."""
    return _file_model().model_json_schema()


@cache
def _file_model() -> type[BaseModel]:
    """The pydantic model of the whole file: one field per section, each with the section's defaults."""
    fields: dict[str, Any] = {}
    for item in dataclasses.fields(Config):
        model = _section_model(SECTIONS[item.name])
        rule = item.metadata.get("check")
        annotation: Any = model
        if rule is not None:
            annotation = Annotated[model, AfterValidator(_checked(rule, item.metadata.get("check_key", "")))]
        fields[item.name] = (annotation, model())
    return create_model("KioskToml", __config__=_STRICT, **fields)


def _section_model(kind: type) -> type[BaseModel]:
    hints = typing.get_type_hints(kind)
    fields: dict[str, Any] = {}
    for item in dataclasses.fields(kind):
        about: Setting = item.metadata["setting"]
        annotation, validators = _typed(hints[item.name], about), _validators(hints[item.name], about)
        fields[item.name] = (Annotated[annotation, *validators] if validators else annotation,
                             Field(default_of(item), title=about.title, description=about.help, **about.rules,
                                   json_schema_extra={"accepts": about.accepts, "restart": about.restart}))
    return create_model(kind.__name__, __config__=_STRICT, __doc__=kind.__doc__, **fields)


def _typed(annotation: Any, about: Setting) -> Any:
    """The annotation with ``item_rules`` on the items of a list."""
    if not about.item_rules:
        return annotation
    container, (item, *rest) = typing.get_origin(annotation), typing.get_args(annotation)
    return container[(Annotated[item, Field(**about.item_rules)], *rest)]


def _validators(annotation: Any, about: Setting) -> list[Any]:
    validators: list[Any] = []
    container = typing.get_origin(annotation)
    if container in (tuple, frozenset):  # TOML has lists; strict mode takes only the exact type
        validators.append(BeforeValidator(lambda value: container(value) if isinstance(value, list) else value))
    if about.clean is not None:
        validators.append(BeforeValidator(about.clean))
    if about.check is not None:
        validators.append(AfterValidator(_checked(about.check)))
    return validators


def _checked(rule: Callable[[Any, Mapping[str, Any]], Any], key: str = "") -> Callable[..., Any]:
    """``rule`` as a pydantic validator: it gets the section's (or file's) settings checked before it."""

    def validate(value: Any, info: ValidationInfo) -> Any:
        try:
            return rule(value, info.data)
        except Refusal as refusal:
            raise PydanticCustomError("setting", "{text}", {"text": refusal.text, "key": key}) from None

    return validate


def _explain(error: ErrorDetails) -> ConfigProblem:
    """One pydantic error as ``key.path: what would be accepted (got what was written)``."""
    loc, value = error["loc"], error.get("input")
    section = str(loc[0])
    if section not in SECTIONS:
        return ConfigProblem(section, f"unknown section; kiosk.toml has [{'], ['.join(SECTIONS)}]")
    if len(loc) == 1:
        if error["type"] == "setting":  # a rule between sections, said by the key it is about
            return ConfigProblem(f"{section}.{error['ctx']['key']}", error["ctx"]["text"])
        return ConfigProblem(section, f"must be a table: [{section}] with its keys (got {written(value)})")
    kind, key = SECTIONS[section], str(loc[1])
    names = [item.name for item in dataclasses.fields(kind)]
    if key not in names:
        return ConfigProblem(f"{section}.{key}", f"unknown key; [{section}] has {', '.join(names)}")
    if error["type"] == "setting":
        return ConfigProblem(f"{section}.{key}", f"{error['ctx']['text']} (got {written(value)})")
    about: Setting = next(item for item in dataclasses.fields(kind) if item.name == key).metadata["setting"]
    where = " in the list" if len(loc) > 2 else ""
    return ConfigProblem(f"{section}.{key}", f"must be {about.accepts} (got {written(value)}{where})")


def written(value: object) -> str:
    """A value as it is written in kiosk.toml (shortened)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(written(item) for item in value) + "]" if len(value) <= 5 else "a list"
    if isinstance(value, dict):
        return "a table"
    return str(value)
