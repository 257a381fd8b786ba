"""A map of Sweden's 21 counties as server-rendered inline SVG (no JavaScript).

The outlines are MapSVG's map of Sweden (the npm package @svg-maps/sweden, CC BY 4.0), kept in
``fixtures/reference/sweden-counties.svg`` with ``sweden-counties-svg-ids.csv`` (SCB code → the
map's path id); wherever a map is shown the page credits it with ``CREDIT``.

A county's colour is never the only sign of what it means: every fill has its own pattern too
(dots, stripes, crosses, hatching), the legend shows fill and pattern with their words, each county
carries a ``<title>`` with its name and what the colour says, and the page keeps its table (the
text alternative).
"""

import csv
import functools
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

CREDIT = gettext_lazy("Karta: MapSVG (CC BY 4.0)")
VIEWBOX = (346, 793)
_SVG_NS = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Fill:
    """What a county's colour means: a key and a pattern, and its words. The colours are the
    site's (``site.css``: ``.map-bg-<key>`` the ground, ``.map-ink-<key>`` the marks)."""

    key: str
    label: str
    pattern: str  # "solid", "empty", "dots", "stripes", "cross", "hatch"


@dataclass(frozen=True)
class Region:
    """One county on a map: its code, its name, its fill key, what it says, and a link."""

    code: str
    name: str
    fill: str
    says: str
    url: str = ""
    flagged: bool = False  # drawn with a thick outline (a late county on the board)


@functools.cache
def outlines() -> dict[str, str]:
    """SCB county code → the path data of its outline (read once per process)."""
    folder = settings.BASE_DIR / "fixtures" / "reference"
    with open(folder / "sweden-counties-svg-ids.csv", encoding="utf-8", newline="") as ids:
        code_of = {row["svg_id"]: row["county_code"] for row in csv.DictReader(ids)}
    tree = ElementTree.parse(folder / "sweden-counties.svg")  # our own file, not an upload
    return {
        code_of[path.get("id")]: path.get("d")
        for path in tree.getroot().iter(f"{_SVG_NS}path")
        if path.get("id") in code_of
    }


_MARKS = {
    "solid": "",
    "empty": "",
    "dots": '<circle cx="4" cy="4" r="1.5" fill="currentColor"/>',
    "stripes": '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="currentColor" '
    'stroke-width="1.4"/>',
    "cross": '<path d="M0,4 h8 M4,0 v8" stroke="currentColor" stroke-width="1.2"/>',
    "hatch": '<path d="M0,0 l8,8 M-4,4 l4,4 M4,-4 l4,4" stroke="currentColor" stroke-width="1"/>',
}


def _pattern(prefix: str, fill: Fill) -> SafeString:
    """A <pattern> of 8 × 8 map units: the fill's ground and its marks."""
    return format_html(
        '<pattern id="{}-{}" patternUnits="userSpaceOnUse" width="8" height="8">'
        '<rect width="8" height="8" class="map-bg-{}"/><g class="map-ink-{}">{}</g></pattern>',
        prefix,
        fill.key,
        fill.key,
        fill.key,
        mark_safe(_MARKS[fill.pattern]),
    )


def county_map(
    *,
    label_id: str,
    title: str,
    regions: list[Region],
    fills: list[Fill],
    description: str = "",
    css_class: str = "",
) -> SafeString:
    """The counties, each filled by its ``Fill`` and, when it has a url, a link to it.

    A map with links is a group of links (each named by its county and what it says); one
    without is an image with a title. The ``label_id`` keeps ids unique on pages with several
    maps."""
    paths = outlines()
    by_key = {fill.key: fill for fill in fills}
    shapes = []
    for region in regions:
        if region.code not in paths:
            continue  # a county added since has no outline: the page's table lists it
        fill = by_key[region.fill]
        name = f"{region.name}: {region.says}" if region.says else region.name
        shape = format_html(
            '<path d="{}" class="map-county{}" fill="url(#{}-{})"><title>{}</title></path>',
            paths[region.code],
            " map-flagged" if region.flagged else "",
            label_id,
            fill.key,
            name,
        )
        if region.url:
            shape = format_html(
                '<a href="{}" aria-label="{}" class="map-link" data-county="{}">{}</a>',
                region.url,
                name,
                region.code,
                shape,
            )
        shapes.append(shape)
    described = f"{label_id}-t {label_id}-d" if description else f"{label_id}-t"
    role = "" if any(region.url for region in regions) else ' role="img"'
    return format_html(
        '<svg class="county-map {css}" viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg"'
        '{role} aria-labelledby="{described}">'
        '<title id="{id}-t">{title}</title>{desc}<defs>{defs}</defs>{shapes}</svg>',
        css=css_class,
        w=VIEWBOX[0],
        h=VIEWBOX[1],
        role=mark_safe(role),
        described=described,
        id=label_id,
        title=title,
        desc=format_html('<desc id="{}-d">{}</desc>', label_id, description) if description else "",
        defs=format_html_join("", "{}", ((_pattern(label_id, fill),) for fill in fills)),
        shapes=format_html_join("", "{}", ((shape,) for shape in shapes)),
    )


def legend(*, fills: list[Fill], label_id: str) -> list[tuple[SafeString, str]]:
    """(swatch, words) per fill: a small square with the fill's colour and pattern, for the
    legend beside a map (``label_id`` unique on the page)."""
    return [
        (
            format_html(
                '<svg class="map-swatch" viewBox="0 0 16 16" width="18" height="18" '
                'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
                '<defs>{}</defs><rect x="0.5" y="0.5" width="15" height="15" fill="url(#{}-{})" '
                'stroke="#4a4a4a"/></svg>',
                _pattern(label_id, fill),
                label_id,
                fill.key,
            ),
            fill.label,
        )
        for fill in fills
    ]
