"""The Excel import on the review site in a real browser, as a coordinator does it.

The coordinator of Södermanland opens the county page, follows the import link, downloads the
template, uploads a file with an error and reads where it is, uploads the corrected file, reads
the preview and saves; the county page then says what was saved and the project exists.
"""

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agreements.imports import columns as cols
from agreements.models import Project
from tests import builders
from tests import import_builders as ib
from tests.e2e.test_review_cycle import log_in, submit_form, with_password

pytestmark = pytest.mark.e2e


def test_coordinator_imports_projects_from_the_county_page(new_page, coordinator_04, tmp_path):
    ib.county_world("04", projects=2)
    builders.follow_up_round(year=2001)
    with_password(coordinator_04)
    county_url = reverse("site:county", kwargs={"year": 2001, "code": "04"})
    page = new_page()
    log_in(page, "samordnare04")
    with page.expect_navigation():  # from the to-do list to the county's page
        page.get_by_role("link", name="Södermanlands län").click()
    expect(page).to_have_url(re.compile(re.escape(county_url) + "$"))

    with page.expect_navigation():
        page.get_by_role("link", name="Importera projekt från Excel").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned importmall för Södermanlands län").click()
    template = tmp_path / "mall.xlsx"
    download.value.save_as(template)
    book = openpyxl.load_workbook(template)
    assert {cols.PROJECTS, cols.FINANCING} <= set(book.sheetnames)

    # First a file with a negative amount: the preview says where, and offers no save.
    ib.new_project(book, title="Besöksnäring i Trosa")
    line = ib.new_line(book, amount="-5 000")
    broken = tmp_path / "med-fel.xlsx"
    book.save(broken)
    page.get_by_label("Ifylld importmall (.xlsx)").set_input_files(broken)
    submit_form(page, page.get_by_role("button", name="Granska filen"))
    problems = page.locator("table.import-problems")
    expect(problems).to_contain_text(cols.FINANCING)
    expect(problems.locator("tr", has_text="negativt")).to_contain_text(str(line))
    expect(page.get_by_role("button", name="Spara importen")).to_have_count(0)
    assert not Project.objects.filter(title="Besöksnäring i Trosa").exists()

    # The corrected file: one new project and its line, then saved.
    ib.set_cell(book, cols.FINANCING, line, "amount", "5 000")
    fixed = io.BytesIO()
    book.save(fixed)
    (tmp_path / "rättad.xlsx").write_bytes(fixed.getvalue())
    with page.expect_navigation():
        page.get_by_role("link", name="Importera från Excel").click()
    page.get_by_label("Ifylld importmall (.xlsx)").set_input_files(tmp_path / "rättad.xlsx")
    submit_form(page, page.get_by_role("button", name="Granska filen"))
    counts = page.locator("table.import-counts")
    expect(counts.locator("tr", has_text=cols.PROJECTS)).to_contain_text("1")
    submit_form(page, page.get_by_role("button", name="Spara importen"))

    expect(page).to_have_url(county_url)
    expect(page.get_by_text("Importen är sparad i Södermanlands län.")).to_be_visible()
    project = Project.objects.get(title="Besöksnäring i Trosa")
    assert project.history.get().history_user == coordinator_04
