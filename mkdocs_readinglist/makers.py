"""Faster making of the model's frozen dataclasses, for the stages that make one per record or paper.

A frozen dataclass's `__init__` sets each field through `object.__setattr__` (its own
`__setattr__` refuses): a method looked up and called per field, 2.3 µs for a `Paper` of 27
fields. `maker(cls)` gives a function with `cls.__init__`'s very signature (the same fields,
order, defaults and default factories) that makes the same object 5x faster: it fills an
instance of an unfrozen twin of the class (the same slots, in the same order, on the same
base) with plain attribute stores, then makes it an instance of `cls` (`__class__`
assignment, which CPython allows between classes of the same layout and checks on every
assignment). The object is a `cls` in every respect: its type, fields, equality, hash,
pickling and frozenness (tests/test_model_makers.py compares it with `cls(...)`'s on real data).

A class the twin cannot stand in for (not a slotted dataclass, an `__init__` of its own, a
`__post_init__`, a field left out of `__init__`, a layout CPython refuses) gets `cls` itself:
the general path, never a wrong object.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .model import BibEntry, Paper, Record, SourceRef

T = TypeVar("T")

_FACTORY = object()  # a default made by a default factory, as dataclasses' own __init__ marks it


def maker(cls: type[T]) -> Callable[..., T]:
    """`cls(...)`, made faster for a frozen, slotted dataclass (see the module); else `cls` itself."""
    try:
        return _twin_maker(cls)
    except (TypeError, ValueError):
        return cls


def _twin_maker(cls: type[T]) -> Callable[..., T]:
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or not params.init or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: not a frozen dataclass whose __init__ only sets its fields")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    names = tuple(f.name for f in fields)
    if getattr(cls, "__slots__", None) != names or any(not f.init for f in fields):
        raise TypeError(f"{cls.__name__}: its slots are not its fields, in order")
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY, "_set_class": object.__setattr__, "_cls": cls}
    params_text: list[str] = []
    body: list[str] = []
    for field in fields:
        if field.default is not dataclasses.MISSING:
            namespace[f"_default_{field.name}"] = field.default
            params_text.append(f"{field.name}=_default_{field.name}")
        elif field.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{field.name}"] = field.default_factory
            params_text.append(f"{field.name}=_FACTORY")
            body.append(f"    if {field.name} is _FACTORY:\n        {field.name} = _factory_{field.name}()\n")
        else:
            params_text.append(field.name)
    stores = "".join(f"    self.{name} = {name}\n" for name in names)
    source = (f"class _Twin(*_bases):\n    __slots__ = _names\n\n"
              f"def make({', '.join(params_text)}):\n{''.join(body)}"
              f"    self = _new(_Twin)\n{stores}    _set_class(self, '__class__', _cls)\n    return self\n")
    namespace.update(_bases=cls.__bases__, _names=names, _new=object.__new__)
    exec(compile(source, f"<maker of {cls.__name__}>", "exec"), namespace)
    make: Callable[..., T] = namespace["make"]
    # A layout CPython refuses raises TypeError here, once, instead of at each making.
    sample = make(*[f"{n}" for n in names])
    if type(sample) is not cls:  # pragma: no cover
        raise TypeError(f"{cls.__name__}: the twin is not made a {cls.__name__}")
    make.__name__ = f"make_{cls.__name__}"
    make.__qualname__ = make.__name__
    make.__doc__ = f"`{cls.__name__}(...)`, made as `makers.maker` makes it."
    return make



def replacer(cls: type[T], name: str) -> Callable[[T, Any], T]:
    """`dataclasses.replace(obj, **{name: value})`, made faster: each of `obj`'s slots read and
    stored in an unfrozen twin of `cls` in one function, with no tuple of values, no keywords
    and no `__init__` (the keys stage copies every paper with its key), then made a `cls`.

    For a slotted dataclass whose `maker` is a twin's, the slots are the fields. For a frozen
    dataclass with slots and an `__init__` of its own (model.Paper: some fields held together in
    one slot, some read through properties), only a field that has a slot of its own name is
    replaced so; the other slots are copied as the object holds them (what its `__init__` made of
    the same values), and the new value is stored as given (tests/test_model_makers.py holds each
    such copy equal to `dataclasses.replace`'s on real papers). Anything else: the general
    `dataclasses.replace`."""
    made = maker(cls)
    twin = made.__globals__["_Twin"] if made is not cls else _own_init_twin(cls)
    names: tuple[str, ...] = getattr(cls, "__slots__", ())
    fields = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set()
    if twin is None or name not in names or name not in fields:
        def general(obj: T, value: Any) -> T:
            return dataclasses.replace(obj, **{name: value})  # type: ignore[type-var]
        return general
    stores = "".join(f"    self.{slot} = value\n" if slot == name else f"    self.{slot} = obj.{slot}\n"
                     for slot in names)
    namespace: dict[str, Any] = {"_new": object.__new__, "_Twin": twin,
                                 "_set_class": object.__setattr__, "_cls": cls}
    source = f"def replace(obj, value):\n    self = _new(_Twin)\n{stores}    _set_class(self, '__class__', _cls)\n" \
             "    return self\n"
    exec(compile(source, f"<replacer of {cls.__name__}.{name}>", "exec"), namespace)  # (our own text)
    replace: Callable[[T, Any], T] = namespace["replace"]
    return replace


def _own_init_twin(cls: type) -> type | None:
    """An unfrozen twin of a frozen dataclass that declares its own `__slots__` and `__init__`
    (the same slots on the same bases), or None when CPython refuses to make one a `cls`."""
    params = getattr(cls, "__dataclass_params__", None)
    names = cls.__dict__.get("__slots__")
    if params is None or not params.frozen or type(names) is not tuple or "__dict__" in names \
            or "__weakref__" in names:
        return None
    twin = type("_Twin", cls.__bases__, {"__slots__": names})
    try:
        object.__setattr__(object.__new__(twin), "__class__", cls)
    except TypeError:  # pragma: no cover - a layout CPython does not take as the same
        return None
    return twin


# The makers of the model's classes that the stages make one of per record or paper. The type
# checker sees the classes themselves: every making is checked against the class's signature.
if TYPE_CHECKING:
    make_paper = Paper
    make_record = Record
    make_bib_entry = BibEntry
    make_source_ref = SourceRef
else:
    make_paper = maker(Paper)
    make_record = maker(Record)
    make_bib_entry = maker(BibEntry)
    make_source_ref = maker(SourceRef)
