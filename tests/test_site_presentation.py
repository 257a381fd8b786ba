"""What looked broken on the site, each pinned: headers that break mid-word, labels cut with
"…", a legend that ran over itself, a faint focus ring, two spellings of one verb, and a moment
shown in two time zones."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core import formats, typography
from followup.models import ReportStatus, ReviewEvent, Theme
from followup.site import charts
from tests import builders

pytestmark = pytest.mark.django_db
SOFT = "\u00ad"
SITE_CSS = Path(settings.BASE_DIR, "followup", "static", "site", "site.css")


# --- headers that break where Swedish breaks them ------------------------------------------


def test_long_compounds_get_soft_hyphens_where_swedish_breaks_them():
    assert typography.hyphenate("Klusterarbete", "sv") == f"Kluster{SOFT}ar{SOFT}bete"
    hyphenated = typography.hyphenate("Tvärsektoriella utvärderingssystem", "sv")
    assert hyphenated.replace(SOFT, "") == "Tvärsektoriella utvärderingssystem"
    assert f"Tvär{SOFT}sek" in hyphenated and f"rings{SOFT}sys{SOFT}tem" in hyphenated
    assert typography.hyphenate("Lokala partnerskap", "sv") == f"Lokala part{SOFT}ner{SOFT}skap"
    assert typography.hyphenate("kort ord", "sv") == "kort ord"  # short words stay whole


def test_the_comparison_and_development_headers_may_break_only_at_hyphenation_points(
    client, reviewer
):
    round_obj = builders.follow_up_round(year=2001)
    report = builders.county_report(
        round_obj=round_obj, county_code="04", status=ReportStatus.SUBMITTED
    )
    builders.observation(report=report, theme=Theme.objects.get(name="Klusterarbete"), assessment=4)
    client.force_login(reviewer)
    matrix = client.get(reverse("site:matrix", args=[2001])).content.decode()
    assert f'<th scope="col">Kluster{SOFT}ar{SOFT}bete</th>' in matrix
    assert f"Tvär{SOFT}sek" in matrix
    development = client.get(reverse("site:development", args=["04"])).content.decode()
    assert f'<th scope="row">Kluster{SOFT}ar{SOFT}bete</th>' in development
    css = SITE_CSS.read_text()
    assert "hyphens: manual" in css  # the browser breaks at the soft hyphens only


# --- charts: labels wrapped, never cut; the legend in rows --------------------------------


def svg_texts(svg: str) -> list[str]:
    """The lines of text a chart draws (each <tspan> or plain <text>)."""
    return [
        re.sub(r"<[^>]+>", "", t)
        for t in re.findall(r"<tspan[^>]*>.*?</tspan>|<text[^>]*>[^<]*</text>", svg)
    ]


def test_a_long_label_is_wrapped_into_lines_not_cut():
    label = "1. Forskning, utveckling och innovation för länets näringsliv och offentliga sektor"
    svg = charts.grouped_bars(
        label_id="t",
        title="T",
        description="D",
        series=[charts.Series("Ram", "#000"), charts.Series("Beslutat", "#111")],
        groups=[(label, [100, 50])],
    )
    assert "…" not in svg
    lines = charts.wrap(label, charts.LABEL_WIDTH - 16)
    assert lines == [
        "1. Forskning, utveckling och",
        "innovation för länets näringsliv",
        "och offentliga sektor",
    ]
    texts = svg_texts(svg)
    assert texts[texts.index(lines[0]) : texts.index(lines[0]) + 3] == lines  # drawn whole
    assert all(charts.text_width(line) <= charts.LABEL_WIDTH - 16 for line in lines)
    # the bars' group is as tall as its label: the chart ends below the label's last line
    height = int(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))
    last_line_y = 26 + 11 + 2 * charts.LINE
    assert height >= last_line_y


def test_a_word_longer_than_a_line_breaks_after_its_hyphen():
    lines = charts.wrap("Forsknings-och-utvecklingsverksamheten-i-länet", 120)
    assert "".join(lines) == "Forsknings-och-utvecklingsverksamheten-i-länet"  # nothing lost
    assert lines[0] == "Forsknings-och-"
    assert all(charts.text_width(line) <= 120 for line in lines)


def test_the_legend_wraps_into_rows_instead_of_running_over_itself():
    names = [
        "Central government",
        "County council/region",
        "Municipalities",
        "EU Structural Funds",
        "Private",
        "Other",
    ]
    series = [charts.Series(name, "#000") for name in names]
    svg = charts.stacked_bars(
        label_id="f", title="T", description="D", series=series, groups=[("Stockholm", [1] * 6)]
    )
    swatches = [
        (float(x), float(y)) for x, y in re.findall(r'<rect x="([\d.]+)" y="(\d+)" width="14"', svg)
    ]
    assert len(swatches) == 6
    assert len({y for _x, y in swatches}) >= 2  # the six do not fit one row of 760 px
    order = sorted(swatches, key=lambda s: (s[1], s[0]))  # row by row: the series' order
    for (x, _y), name in zip(order, names, strict=True):
        assert x + 20 + charts.text_width(name) <= charts.WIDTH  # inside the chart
    # a name never starts before the one before it has ended
    for (x1, y1), (x2, y2), name in zip(order, order[1:], names, strict=False):
        if y1 == y2:
            assert x2 >= x1 + 20 + charts.text_width(name)


def test_network_labels_are_wrapped_not_cut():
    nodes = [
        ("Länsarbetsnämnden i Södermanlands län med ett mycket långt namn", True),
        ("B", False),
    ]
    svg = charts.network(label_id="n", title="T", description="D", nodes=nodes, edges=[])
    assert "…" not in svg
    assert [t for t in svg_texts(svg) if t != "B"][-4:] == [
        "Länsarbetsnämnden i",
        "Södermanlands län",
        "med ett mycket långt",
        "namn",
    ]


# --- the focus ring ----------------------------------------------------------------------


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_ring_stands_out_on_the_page_and_in_the_header():
    css = SITE_CSS.read_text()
    colours = dict(re.findall(r"--([\w-]+): (#[0-9a-fA-F]{6})", css))
    assert "outline: 3px solid var(--focus-ring)" in css
    assert contrast(colours["focus-ring"], colours["paper"]) >= 3  # WCAG 2.2, 1.4.11
    assert contrast(colours["focus-ring"], colours["band"]) >= 3
    # on the dark header (and the dark cells) the ring is the yellow one
    assert re.search(r"\.site-header[^{]*\{ --focus-ring: var\(--focus\); \}", css)
    assert contrast(colours["focus"], colours["brand"]) >= 3


# --- one spelling ------------------------------------------------------------------------


def test_downloads_are_ladda_ned_everywhere():
    roots = [
        Path(settings.BASE_DIR, name) for name in ("templates", "followup", "agreements", "core")
    ]
    offenders = [
        str(path)
        for root in roots
        for path in root.rglob("*")
        if path.suffix in (".html", ".py", ".txt")
        and re.search(r"[Ll]adda ner\b", path.read_text())
    ]
    assert offenders == []


# --- one time zone -----------------------------------------------------------------------


def test_a_review_step_reads_in_swedish_time_in_its_title_as_in_its_row(client, superuser):
    round_obj = builders.follow_up_round(year=2001)
    report = builders.county_report(round_obj=round_obj, county_code="04")
    event = ReviewEvent.objects.create(
        report=report,
        action=ReviewEvent.Action.SUBMIT,
        from_status=ReportStatus.DRAFT,
        to_status=ReportStatus.SUBMITTED,
        actor=superuser,
        at=datetime.datetime(2001, 9, 14, 14, 40, tzinfo=datetime.UTC),  # 16:40 in Stockholm
    )
    assert str(event).endswith("2001-09-14 16:40")
    assert formats.moment(event.at) == "2001-09-14 16:40"
    assert formats.day(datetime.datetime(2001, 9, 14, 22, 30, tzinfo=datetime.UTC)) == "2001-09-15"
    client.force_login(superuser)
    content = client.get(reverse("admin:followup_reviewevent_changelist")).content.decode()
    assert "14:40" not in content
