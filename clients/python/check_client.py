"""What a front-end team writes first, against the Python client generated from
openapi/openapi.json: it must pass `mypy --strict` with no casts and run against a live demo
instance (.ci/clients). It logs in, pages through every official passing each to a function
typed with the record type, reads the 2019 ward report's `dimensions.education` and downloads
the same report as CSV, read back with the `csv` module.

    CADRE_URL=http://127.0.0.1:8080 CADRE_ADMIN_PASSWORD=… python check_client.py
"""

import csv
import datetime
import io
import os

from cadre_records_client import AuthenticatedClient, Client
from cadre_records_client.api.auth import login
from cadre_records_client.api.officials import list_officials
from cadre_records_client.api.reports import download_qualification_report, report_qualifications
from cadre_records_client.api.units import list_units
from cadre_records_client.models import (
    Category,
    FileFormat,
    Labels,
    Level,
    LevelCount,
    LoginRequest,
    Official,
    PageOfficial,
    PageUnit,
    QualificationReport,
    TokenResponse,
    Unit,
)
from cadre_records_client.types import File

WARD = "VP-PY-PT"  # Phường Phúc Thắng, whose 2019 figures the demo reproduces
AS_OF = datetime.date(2019, 5, 30)
PAGE = 10  # small, so that the demo's officials take several pages


def describe(official: Official) -> str:
    """A line of a list of people: what a page of officials is shown as."""
    return f"{official.code} {official.full_name}: {official.education.value}"


def all_officials(client: AuthenticatedClient) -> list[Official]:
    """Every official, page after page, each page from where the last one's `next` says."""
    officials: list[Official] = []
    first = list_officials.sync(client=client, limit=PAGE)
    assert isinstance(first, PageOfficial), first
    assert isinstance(first.total, int), first.total
    page = first
    while True:
        officials.extend(page.items)
        if page.next_ is None:
            assert len(officials) == first.total, (len(officials), first.total)
            return officials
        following = list_officials.sync(client=client, limit=PAGE, cursor=page.next_, count=False)
        assert isinstance(following, PageOfficial), following
        assert not isinstance(following.total, int), "count=false leaves the total out"
        page = following


def find_unit(client: AuthenticatedClient, code: str) -> Unit:
    page = list_units.sync(client=client, limit=500)
    assert isinstance(page, PageUnit), page
    return next(unit for unit in page.items if unit.code == code)


def level(levels: list[LevelCount], code: Level) -> LevelCount:
    return next(count for count in levels if count.level == code)


def main() -> None:
    base_url = os.environ["CADRE_URL"]
    token = login.sync(
        client=Client(base_url=base_url),
        body=LoginRequest(username="admin", password=os.environ["CADRE_ADMIN_PASSWORD"]),
    )
    assert isinstance(token, TokenResponse), token
    client = AuthenticatedClient(base_url=base_url, token=token.access_token)

    officials = all_officials(client)
    lines = [describe(official) for official in officials]
    assert len(lines) > 2 * PAGE, len(lines)

    ward = find_unit(client, WARD)
    report = report_qualifications.sync(client=client, unit_id=ward.id, as_of=AS_OF, category=Category.CADRE)
    assert isinstance(report, QualificationReport), report
    education = report.dimensions.education
    assert report.headcount == 11, report.headcount
    assert sum(count.count for count in education) == report.headcount
    university = level(education, Level.UNIVERSITY)
    assert (university.at_least, university.share) == (10, "10/11"), university

    download = download_qualification_report.sync(
        client=client,
        unit_id=ward.id,
        as_of=AS_OF,
        category=Category.CADRE,
        format_=FileFormat.CSV,
        labels=Labels.CODES,
    )
    assert isinstance(download, File), download
    rows = list(csv.DictReader(io.StringIO(download.payload.read().decode("utf-8-sig"))))
    written = next(row for row in rows if row["dimension"] == "education" and row["level"] == "university")
    figures = (written["count"], written["at_least"], written["headcount"], written["percent"])
    assert figures == (str(university.count), "10", "11", "90.91"), written
    print(f"python client: {len(officials)} officials paged, {WARD} education {university.share}, {len(rows)} CSV rows")


if __name__ == "__main__":
    main()
