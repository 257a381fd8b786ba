"""The yearly report opened in a word processor, as the ministry would: the demo's report
converted to PDF by LibreOffice Writer (Debian's ``libreoffice-writer-nogui``) and read back with
``pdftotext``. Every county's name is in it, and each county's presentation takes at most three
A4 pages — the report's own county presentations took two.

A missing converter fails the test with what to install (a skipped check hides its problem).
"""

import re
import subprocess

import pytest
from django.core.management import call_command

from agreements.models import County
from followup.models import FollowUpRound
from followup.report.write import write_report
from tests.test_print import pages, tool

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_report_opens_in_a_word_processor_with_every_county_in_three_pages(tmp_path):
    soffice = tool("soffice", "libreoffice-writer-nogui")
    call_command("seed_demo", verbosity=0)
    path = tmp_path / "uppfoljning-2001.docx"
    write_report(str(path), round_obj=FollowUpRound.objects.get(year=2001))
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = path.with_suffix(".pdf")
    assert pdf.exists(), "LibreOffice wrote no PDF (is libreoffice-writer-nogui installed?)"
    text = pages(pdf)
    every_page = "\n".join(text)
    counties = list(County.objects.order_by("code"))
    for county in counties:
        assert county.name in every_page

    # Where each chapter starts: the page whose first line is its heading.
    def starts(title: str) -> int:
        found = [n for n, page in enumerate(text) if page.lstrip().startswith(title + "\n")]
        assert found, f"no page begins with {title!r}"
        return found[0]

    chapters = [county.name for county in counties] + ["Hela landet"]
    first_pages = [starts(title) for title in chapters]
    assert first_pages == sorted(first_pages)  # in SCB order, the nation after them
    lengths = {
        title: following - start
        for title, start, following in zip(chapters, first_pages, first_pages[1:], strict=False)
    }
    assert {title: n for title, n in lengths.items() if n > 3} == {}
    assert starts("Sammanfattning och slutsatser") > first_pages[-1]
    # the page numbers Word fills in show as LibreOffice computes them
    assert re.search(r"Sida 2\b", every_page)
