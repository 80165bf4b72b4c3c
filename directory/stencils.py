"""Markup rendered once with holes in it, then filled with each request's values.

A listing page repeats the same markup for twenty cards and sixty filter options, and only a
few values in it differ from one request to the next: a count, a checked box, a distance, the
page's own address. Django's template engine spends about 0.3 ms on a card and 40 µs on an
option, most of it resolving variables that did not change. A stencil is a template rendered
once, with a marker where each live value goes, and saved as the text between the markers; a
request then only joins those texts with its values (escaped, as the template would have),
which takes microseconds. The markup itself stays in the template.

    stencil = Stencil.render("centers/_card.html", {"center": center, "live": holes("next")})
    stencil.fill({"next": request.get_full_path()})

A skeleton goes one step further, for markup drawn once per object (a listing card per
center): the template is rendered once per *shape* with a stand-in (``StandIn``) in place of
the object, whose text is all holes, and each object is then drawn by filling the skeleton of
its shape with its own text. The shape is what the template decides on: which texts are empty,
the values it tests, how many items each list has. A stand-in records any attribute it was
not given; a template that reads one cannot be drawn from a skeleton and is rendered as before
(``Skeletons.draw``), as is a skeleton whose first drawing differs from the template's own.
"""

import html
import logging
import re
import secrets
import threading
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import SafeData, SafeString, mark_safe

# A NUL never reaches a template from our data (PostgreSQL text cannot hold one, and Django's
# form fields refuse it), and the random part makes a collision with any text impossible in
# practice even where one could: the marker is new in every process.
_PREFIX = "\x00stencil-"
_MARK = f"{_PREFIX}{secrets.token_hex(8)}\x00"

logger = logging.getLogger(__name__)
# The characters html.escape replaces.
_ESCAPED = re.compile(r"[&<>\"']")


def hole(name: str) -> SafeString:
    """The marker for the live value ``name``; safe, so the template writes it as it is."""
    return mark_safe(f"{_MARK}{name}{_MARK}")


def holes(*names: str) -> dict[str, SafeString]:
    return {name: hole(name) for name in names}


def hole_name(value: object) -> str | None:
    """The name of the hole ``value`` is, or None when it is anything else."""
    if isinstance(value, str) and value.startswith(_MARK) and value.endswith(_MARK):
        name = value[len(_MARK) : -len(_MARK)]
        if name and _MARK not in name:
            return name
    return None


# Template filters that pass a hole through as a hole of their own ("phone|tel"), filled with the
# filter applied to the value (``hole_aware``), by name.
_FILTERS: dict[str, Callable[[object], object]] = {}


def hole_aware(function: Callable[[object], object]) -> Callable[[object], object]:
    """A template filter that, given a hole, gives the hole ``<name>|<filter>``: a skeleton then
    gets ``function(value)`` there, escaped as the filter's output would be."""
    _FILTERS[function.__name__] = function

    def filter_(value: object) -> object:
        name = hole_name(value)
        return function(value) if name is None else hole(f"{name}|{function.__name__}")

    filter_.__name__ = function.__name__
    filter_.__doc__ = function.__doc__
    return filter_


class StencilError(ValueError):
    """A stencil's markup did not hold the markers it was rendered with."""


@dataclass(frozen=True, slots=True)
class Stencil:
    texts: tuple[str, ...]  # one more than names: the text before, between and after the holes
    names: tuple[str, ...]

    @classmethod
    def of(cls, markup: str, expected: Iterable[str] | None = None) -> "Stencil":
        parts = markup.split(_MARK)
        if len(parts) % 2 == 0 or any(_PREFIX in part for part in parts):
            # A filter sliced or changed a marker: filling it would write a wrong page.
            raise StencilError("a marker was cut in two: a hole was written through a filter")
        stencil = cls(tuple(parts[0::2]), tuple(parts[1::2]))
        if expected is not None and not set(stencil.names) <= set(expected):
            raise StencilError(f"unknown holes {sorted(set(stencil.names) - set(expected))}")
        return stencil

    @classmethod
    def render(
        cls,
        template_name: str,
        context: Mapping[str, object],
        expected: Iterable[str] | None = None,
    ) -> "Stencil":
        return cls.of(render_to_string(template_name, dict(context)), expected)

    @classmethod
    def kept(
        cls,
        key: str | None,
        template_name: str,
        shape: Callable[[], Mapping[str, object]],
        expected: Iterable[str] | None = None,
    ) -> "Stencil":
        """The stencil kept under ``key`` in this process's ``fragments`` cache, or else
        ``template_name`` rendered with the context ``shape()`` returns (holes for its live
        values) and kept. A ``key`` of None renders it and keeps nothing."""
        return cls.kept_drawn(key, lambda: render_to_string(template_name, dict(shape())), expected)

    @classmethod
    def kept_drawn(
        cls, key: str | None, draw: Callable[[], str], expected: Iterable[str] | None = None
    ) -> "Stencil":
        """As ``kept``, for markup with holes that ``draw()`` makes however it likes."""
        stencil = caches["fragments"].get(key) if key else None
        if stencil is None:
            stencil = cls.of(draw(), expected)
            if key:
                caches["fragments"].set(key, stencil)
        return stencil

    def fill(self, values: Mapping[str, object]) -> SafeString:
        """The markup with each hole replaced by its value, escaped unless marked safe; a hole
        can appear any number of times, and each one must have a value."""
        texts = self.texts
        out = [texts[0]]
        for position, name in enumerate(self.names, start=1):
            value = values[name]
            if not isinstance(value, SafeData):
                # html.escape is what Django's escape calls; calling it directly skips two
                # wrappers per value, and text with nothing to escape (counts, mostly) skips it.
                value = str(value)
                if _ESCAPED.search(value):
                    value = html.escape(value)
            out.append(value)
            out.append(texts[position])
        return mark_safe("".join(out))


class StandIn:
    """What a skeleton's template reads in place of an object: the given attributes, and a note
    of any other it asked for (which then makes the skeleton unusable, ``Skeletons``)."""

    def __init__(self, attributes: Mapping[str, object], unknown: list[str]) -> None:
        self._attributes = attributes
        self._unknown = unknown

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):  # Python's and the template engine's own probes
            raise AttributeError(name)
        try:
            return self._attributes[name]
        except KeyError:
            self._unknown.append(name)
            raise AttributeError(name) from None

    def __str__(self) -> str:
        self._unknown.append("__str__")
        return ""


def stand_ins(name: str, count: int, item: Callable[[SafeString], object]) -> list[object]:
    """A list's stand-in items for a skeleton: none, one, or three for any longer list (the
    text between the first and second item, which must equal that between the second and the
    third, then joins every item's text: ``Skeletons``). ``item(hole)`` makes one."""
    return [item(hole(f"{name}.{i}")) for i in range(0 if count == 0 else 1 if count == 1 else 3)]


def list_shape(items: Sequence[object]) -> int:
    """What a list adds to a skeleton's shape: empty, one item, or more."""
    return min(len(items), 2)


@dataclass(frozen=True, slots=True)
class Skeleton:
    stencil: Stencil
    joins: Mapping[str, str]  # list name -> the markup between its items

    def fill(self, values: Mapping[str, object]) -> str:
        """``values``: text by hole name, and for a list (``stand_ins``) its items' texts."""
        filled: dict[str, object] = {}
        for name in self.stencil.names:
            if name in values or name in filled:
                continue
            if name.endswith("*"):
                items = values[name[:-1]]
                join = self.joins[name[:-1]]
                filled[name] = mark_safe(
                    join.join(
                        item if isinstance(item, SafeData) else html.escape(str(item))
                        for item in items
                    )
                )
            elif "|" in name:
                base, *filters = name.split("|")
                value = values[base]
                for filter_name in filters:
                    value = _FILTERS[filter_name](value)
                filled[name] = value
            else:
                base, _, position = name.rpartition(".")
                filled[name] = values[base][int(position)]
        return self.stencil.fill({**values, **filled} if filled else values)


def _joined(stencil: Stencil, lists: Iterable[str]) -> Skeleton:
    """``stencil`` with each list's three items (``stand_ins``) made one hole, ``<list>*``."""
    texts, names = list(stencil.texts), list(stencil.names)
    joins = {}
    for name in lists:
        first = [f"{name}.{i}" for i in range(3)]
        at = next((i for i in range(len(names) - 2) if names[i : i + 3] == first), None)
        if at is None or any(names.count(item) != 1 for item in first):
            raise StencilError(f"the items of {name} are not written one after another")
        if texts[at + 1] != texts[at + 2]:
            raise StencilError(f"the items of {name} are not joined by the same markup")
        joins[name] = texts[at + 1]
        names[at : at + 3] = [f"{name}*"]
        texts[at + 1 : at + 3] = []
    return Skeleton(Stencil(tuple(texts), tuple(names)), joins)


class Skeletons:
    """Skeletons of one template, by shape, in this process's memory (their number is that of
    the shapes, a few dozen for the listing card, and never grows with the catalog).

    ``draw(shape, figure, values, render)``: ``figure(unknown)`` gives the context that renders
    the skeleton (stand-ins, their text as holes, lists from ``stand_ins``), ``values`` the text
    for each hole (a list's items' texts under its name), and ``lists`` which lists have more
    than one item; ``render()`` renders the template for the real object. The first object of
    each shape is drawn both ways and compared, so a template that shows something the stand-in
    does not model (a filter that changes a hole's text, an attribute it lacks, a list whose
    items are not all joined alike) is rendered directly for that shape, never drawn wrong.
    """

    MAX_SHAPES = 5_000

    def __init__(self, template_name: str) -> None:
        self.template_name = template_name
        self._skeletons: dict[Hashable, Skeleton | None] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        self._skeletons = {}

    def draw(
        self,
        shape: Hashable,
        figure: Callable[[list[str]], Mapping[str, object]],
        values: Mapping[str, object],
        lists: Iterable[str],
        render: Callable[[], str],
    ) -> str:
        skeleton = self._skeletons.get(shape, False)
        if skeleton is False:
            return self._first(shape, figure, values, lists, render)
        if skeleton is None:  # this shape cannot be drawn from a skeleton
            return render()
        return skeleton.fill(values)

    def _first(self, shape, figure, values, lists, render) -> str:
        unknown: list[str] = []
        direct = render()
        skeleton: Skeleton | None = None
        try:
            markup = render_to_string(self.template_name, dict(figure(unknown)))
            if not unknown:
                skeleton = _joined(Stencil.of(markup), lists)
                if skeleton.fill(values) != direct:
                    skeleton = None
        except (StencilError, KeyError, IndexError):
            skeleton = None
        if skeleton is None:
            logger.warning(
                "%s cannot be drawn from a skeleton for shape %r%s; it is rendered directly",
                self.template_name,
                shape,
                f" (it reads {sorted(set(unknown))})" if unknown else "",
            )
        with self._lock:
            if len(self._skeletons) >= self.MAX_SHAPES:
                self._skeletons = {}
            self._skeletons[shape] = skeleton
        return direct
