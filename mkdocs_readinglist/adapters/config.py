"""The plugin's options as MkDocs sees them (`plugins: [readinglist: {...}]`), built from the one
table of options (mkdocs_readinglist.options.OPTIONS): a config_options class chosen per type,
then the option's own check, so that MkDocs and the core accept and reject the same values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..options import OPTIONS, ConfigError, Option


def _typed(option: Option) -> base.BaseConfigOption[Any]:
    """The MkDocs config option for the option's type (and choices, and default)."""
    if option.choices:
        return c.Choice(option.choices, default=option.default)
    if option.default is None:
        return c.Optional(c.Type(option.kind))
    return c.Type(option.kind, default=option.default)


class SchemaOption(base.BaseConfigOption[Any]):
    """One option of the table: MkDocs' typed option, then the option's check (whose message,
    like MkDocs' own, MkDocs shows after `Plugin 'readinglist' option '<name>':`)."""

    def __init__(self, option: Option) -> None:
        super().__init__()
        self.option = option
        self.typed = _typed(option)
        self.default = self.typed.default
        self.__doc__ = option.doc

    def pre_validation(self, config: base.Config, key_name: str) -> None:
        self.typed.pre_validation(config, key_name)

    def run_validation(self, value: object) -> Any:
        try:
            self.option.read(value)  # first, so that MkDocs and the CLI give the same message
        except ConfigError as exc:
            raise base.ValidationError(str(exc)) from exc
        return self.typed.validate(value)  # as written (or the default): the core reads it again

    def post_validation(self, config: base.Config, key_name: str) -> None:
        self.typed.post_validation(config, key_name)
        self.warnings = self.typed.warnings
        if self.option.with_others is not None:  # (every option is validated by now)
            try:
                self.option.with_others(config[key_name], {name: config[name] for name in config})
            except ConfigError as exc:
                raise base.ValidationError(str(exc)) from exc


def config_class() -> type[base.Config]:
    """A base.Config subclass with one attribute per option of the table."""
    return type("ReadingListOptions", (base.Config,), {option.name: SchemaOption(option) for option in OPTIONS})


if TYPE_CHECKING:
    _Options = base.Config
else:
    _Options = config_class()


class ReadingListConfig(_Options):
    """The plugin's config: every attribute comes from options.OPTIONS."""
