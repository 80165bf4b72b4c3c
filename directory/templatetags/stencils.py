"""``{% stencil key ... %} ... {% hole %}...{% endhole %} ... {% endstencil %}``: a part of a
template rendered once per key, with holes for what changes from one request to the next.

Every page's frame (``base.html``: the head, the header, the free lines, the general helplines,
the footer) is the same for every page in a language, and Django's template engine spent about
2.5 ms of each page rendering it again. Inside ``{% stencil %}``, the markup outside the holes
is rendered once per key (the values named in the tag, and the active language) and kept in
this process as a ``directory.stencils.Stencil``; a request renders only its holes, in its own
context, and joins them with the kept texts.

    {% stencil LANGUAGE_CODE host=request.get_host %}
      <title>{% hole %}{{ page_title }}{% endhole %}</title> ...
    {% endstencil %}

What keeps a stencil right:

- The markup outside the holes is rendered in a context holding only the key's values. If it
  reads any other variable, the key cannot be trusted: that key is rendered directly instead,
  with a warning in the log. So a template change can cost speed, never show a wrong page.
- The first request of each key is also rendered directly and the two compared; a difference
  (a tag that reads something other than the context, such as the time) makes that key render
  directly, with a warning.
- Every ``{% block %}`` inside a stencil must be inside a hole (checked when the template is
  loaded), since a child template's blocks are not part of the key.
- A hole is rendered in the context the stencil itself is rendered in (with the key's names
  added): it sees the page's variables, not those a ``{% for %}`` or ``{% with %}`` inside
  the stencil sets.
"""

import logging
import threading
from collections.abc import Hashable

from django import template
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.template.context import Context
from django.template.loader_tags import BlockNode
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from directory.stencils import Stencil, StencilError, hole

register = template.Library()
logger = logging.getLogger(__name__)

# The name under which a context being drawn as a stencil tells its holes to leave a marker: no
# template variable can have it (variables are words and dots).
_DRAWING = "\x00drawing a stencil"


_drawing_classes: dict[type, type] = {}


def _drawing_context(context: Context, values: dict[str, object], misses: set[str]) -> Context:
    """A context holding only ``values`` that notes in ``misses`` every name read from it and
    not found (a variable the key does not cover). Asking whether a name is there (``in``, as
    ``{% for %}`` does for an outer loop) is not reading it."""
    cls = type(context)
    drawing_cls = _drawing_classes.get(cls)
    if drawing_cls is None:

        class Drawing(cls):  # type: ignore[valid-type, misc]
            def __getitem__(self, key: str) -> object:
                try:
                    return super().__getitem__(key)
                except KeyError:
                    self.misses.add(key)
                    raise

            def get(self, key: str, otherwise: object = None) -> object:
                for layer in reversed(self.dicts):
                    if key in layer:
                        return layer[key]
                self.misses.add(key)
                return otherwise

        drawing_cls = _drawing_classes[cls] = Drawing
    drawing = context.new({**values, _DRAWING: True})
    drawing.__class__ = drawing_cls
    drawing.misses = misses
    return drawing


class HoleNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.number = -1  # its place among its stencil's holes, set by the stencil

    def render(self, context: Context) -> SafeString:
        if context.get(_DRAWING):
            return hole(str(self.number))
        return self.nodelist.render(context)


class StencilNode(Node):
    child_nodelists = ("nodelist",)
    # Keys kept per stencil before all are dropped and drawn again: a frame has a handful
    # (languages, hosts, helpline sets), so this bound only matters for keys that never repeat.
    MAX_KEYS = 1_000

    def __init__(self, nodelist: NodeList, keys: dict[str, FilterExpression]) -> None:
        self.nodelist = nodelist
        self.keys = keys
        self.holes = _holes_of(nodelist)
        for number, hole_node in enumerate(self.holes):
            hole_node.number = number
        # key -> (texts, hole numbers in the order they appear), or None: render directly.
        self._kept: dict[Hashable, tuple[tuple[str, ...], tuple[int, ...]] | None] = {}
        self._lock = threading.Lock()

    def render(self, context: Context) -> SafeString:
        values = {name: expression.resolve(context) for name, expression in self.keys.items()}
        key = (translation.get_language(), *values.values())
        # The key's names are visible inside the stencil, in its holes as in its markup.
        with context.push(values):
            try:
                kept = self._kept.get(key, False)
            except TypeError:  # a key value that cannot be hashed: no stencil for it
                logger.warning("stencil key %r cannot be kept; rendered directly", key)
                return self.nodelist.render(context)
            if kept is False:
                return self._first(key, values, context)
            if kept is None:
                return self.nodelist.render(context)
            texts, numbers = kept
            out = [texts[0]]
            for position, number in enumerate(numbers, start=1):
                out.append(self.holes[number].nodelist.render(context))
                out.append(texts[position])
            return mark_safe("".join(out))

    def _first(self, key: Hashable, values: dict[str, object], context: Context) -> SafeString:
        """Render directly, draw the stencil, and keep it if filling it gives the same."""
        direct = self.nodelist.render(context)
        misses: set[str] = set()
        drawing = _drawing_context(context, values, misses)
        kept = None
        try:
            stencil = Stencil.of(self.nodelist.render(drawing))
            numbers = tuple(int(name) for name in stencil.names)
            filled = [stencil.texts[0]]
            for position, number in enumerate(numbers, start=1):
                filled.append(self.holes[number].nodelist.render(context))
                filled.append(stencil.texts[position])
            if not misses and "".join(filled) == direct:
                kept = (stencil.texts, numbers)
        except StencilError:
            pass
        if kept is None:
            origin = getattr(self, "origin", None)
            logger.warning(
                "a stencil in %s cannot be kept for %r%s; it is rendered directly",
                getattr(origin, "template_name", None) or "a template",
                key,
                f" (it reads {sorted(misses)}, which its key lacks)" if misses else "",
            )
        with self._lock:
            if len(self._kept) >= self.MAX_KEYS:
                self._kept = {}
            self._kept[key] = kept
        return direct


def _holes_of(nodelist: NodeList) -> list[HoleNode]:
    """The holes of a stencil's body (not those of a stencil nested in it), refusing any block
    outside a hole."""
    found: list[HoleNode] = []

    def walk(nodes: NodeList) -> None:
        for node in nodes:
            if isinstance(node, HoleNode):
                found.append(node)
                continue
            if isinstance(node, StencilNode):
                continue
            if isinstance(node, BlockNode):
                raise template.TemplateSyntaxError(
                    f"{{% block {node.name} %}} inside a stencil must be inside a {{% hole %}}: "
                    "a child template's blocks are not part of the stencil's key"
                )
            for attribute in node.child_nodelists:  # {% if %}'s "nodelist" holds every branch
                child = getattr(node, attribute, None)
                if child:
                    walk(child)

    walk(nodelist)
    return found


@register.tag
def stencil(parser: Parser, token: Token) -> StencilNode:
    """``{% stencil name other=expression ... %}``: a bare name keys on that variable, a
    ``name=expression`` on the expression, visible to the stencil's markup as ``name``."""
    keys: dict[str, FilterExpression] = {}
    for bit in token.split_contents()[1:]:
        name, equals, expression = bit.partition("=")
        if not name.isidentifier():
            raise template.TemplateSyntaxError(f"{{% stencil %}}: {bit!r} is not a key")
        keys[name] = parser.compile_filter(expression if equals else name)
    nodelist = parser.parse(("endstencil",))
    parser.delete_first_token()
    return StencilNode(nodelist, keys)


@register.tag(name="hole")
def hole_tag(parser: Parser, token: Token) -> HoleNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% hole %} takes no arguments")
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(nodelist)
