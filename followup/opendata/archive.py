"""Each year's package as a zip on disk, for the public page /oppna-data/.

Building the country's package takes seconds of CPU, so a zip is built once and served from
disk until it is older than ``OPEN_DATA_MAX_AGE`` or the round's approved reports have
changed (an approval, a reopening: checked with one small query per request). One process
builds a year at a time (a lock file); meanwhile the others serve the previous zip, or — when
there is none yet — answer "try again in a minute". Only years whose round has an approved
report are built at all, so however often a hostile client asks, it costs one build per year
and period, and the disk holds one zip per such year.
"""

import fcntl
import hashlib
import os
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from core import priority
from followup.models import CountyReport, ReportStatus
from followup.opendata.package import write_package


class Busy(Exception):
    """Another process is building the year's first zip."""


@dataclass(frozen=True)
class Archive:
    year: int
    path: Path

    @property
    def filename(self) -> str:
        return f"tillvaxtavtal-uppfoljning-{self.year}.zip"


def published_years() -> list[int]:
    """Years whose round has at least one approved report, newest first."""
    years = (
        CountyReport.objects.filter(status=ReportStatus.APPROVED)
        .values_list("round__year", flat=True)
        .distinct()
    )
    return sorted(set(years), reverse=True)


def _key(year: int) -> str:
    """What the zip was built from: the round's approved reports and when each was approved."""
    approved = CountyReport.objects.filter(round__year=year, status=ReportStatus.APPROVED)
    rows = approved.order_by("pk").values_list("pk", "reviewed_at")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def _paths(year: int) -> tuple[Path, Path, Path]:
    directory = Path(settings.OPEN_DATA_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return (
        directory / f"{year}.zip",
        directory / f"{year}.key",
        directory / f"{year}.lock",
    )


def _fresh(zip_path: Path, key_path: Path, key: str) -> bool:
    try:
        age = time.time() - zip_path.stat().st_mtime
        return age < settings.OPEN_DATA_MAX_AGE and key_path.read_text() == key
    except FileNotFoundError:
        return False


def build_zip(year: int, target: Path) -> None:
    """Write year ``year``'s package and zip it (the files at the zip's root) as ``target``."""
    with tempfile.TemporaryDirectory() as work:
        written = write_package(Path(work) / "paket", year=year)
        partial = Path(work) / "paket.zip"
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(written.directory.iterdir()):
                archive.write(path, arcname=path.name)
        shutil.move(partial, target)


def archive_for(year: int) -> Archive:
    """The year's zip, built now if it is missing or stale. Raises ``Busy`` while another
    process builds it for the first time."""
    zip_path, key_path, lock_path = _paths(year)
    key = _key(year)
    if _fresh(zip_path, key_path, key):
        return Archive(year, zip_path)
    with open(lock_path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if zip_path.exists():
                return Archive(year, zip_path)  # the previous one, while the new is built
            raise Busy from None
        try:
            if not _fresh(zip_path, key_path, key):
                partial = zip_path.with_suffix(f".{os.getpid()}.part")
                priority.run(build_zip, year, partial)
                os.replace(partial, zip_path)  # readers see the old zip or the new, whole
                key_path.write_text(key)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return Archive(year, zip_path)
