"""Reads the demo ward's 2019 report as LibreOffice understood it (see .ci/spreadsheets).

    python .ci/spreadsheets.py http://127.0.0.1:18767 ADMIN_PASSWORD WORK_DIR
"""

import datetime
import json
import pathlib
import subprocess
import sys
import urllib.request

import openpyxl

BASE, PASSWORD, WORK = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
WARD = "VP-PY-PT"  # Phường Phúc Thắng: 10 of its 11 cadres held a university degree on 2019-05-30
AS_OF = datetime.datetime(2019, 5, 30)
# LibreOffice's CSV import: comma, double quote, UTF-8, from line 1, the Vietnamese locale (1066).
VIETNAMESE_CSV = "CSV:44,34,76,1,,1066"


def call(path: str, token: str | None = None, body: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(BASE + path, data=json.dumps(body).encode() if body else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request) as response:
        return response.read()


def through_libreoffice(name: str, data: bytes, infilter: str | None) -> openpyxl.Workbook:
    """Saves `data` as `name`, has LibreOffice open it and save it as XLSX, and reads that."""
    source = WORK / name
    source.write_bytes(data)
    out = WORK / "out"
    command = ["soffice", "--headless", f"-env:UserInstallation=file://{WORK}/lo-profile"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", "xlsx", "--outdir", str(out), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    return openpyxl.load_workbook(out / (source.stem + ".xlsx"), data_only=True)


def rows_from(sheet, header_text: str) -> list[dict[str, object]]:
    """The rows below the header row (the one whose first cell is `header_text`), by header."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == header_text)
    header = rows[start]
    return [dict(zip(header, row)) for row in rows[start + 1 :]]


def expect(what: str, got: object, wanted: object) -> None:
    if got != wanted:
        sys.exit(f"FAIL: {what}: LibreOffice read {got!r} ({type(got).__name__}), expected {wanted!r}")


token = json.loads(call("/api/v1/auth/login", body={"username": "admin", "password": PASSWORD}))["access_token"]
units = json.loads(call("/api/v1/units?limit=500", token))["items"]
ward = next(unit for unit in units if unit["code"] == WARD)
report = f"/api/v1/reports/qualifications/download?unit_id={ward['id']}&as_of=2019-05-30&category=cadre"

for name, fmt, infilter, header, percent in [
    ("ward.csv", "csv", VIETNAMESE_CSV, "Mã hệ thống đơn vị", 90.91),
    ("ward.xlsx", "xlsx", None, "Mã hệ thống đơn vị", 10 / 11),
]:
    book = through_libreoffice(name, call(f"{report}&format={fmt}", token), infilter)
    rows = rows_from(book.worksheets[0], header)
    university = next(
        row for row in rows if row["Lĩnh vực"] == "Trình độ chuyên môn" and row["Trình độ"] == "Đại học"
    )
    expect(f"{name}: the unit", university["Đơn vị"], "Phường Phúc Thắng")
    expect(f"{name}: the day", university["Tại ngày"], AS_OF)
    expect(f"{name}: cadres with a degree", university["Số người từ trình độ này trở lên"], 10)
    expect(f"{name}: cadres", university["Tổng số người"], 11)
    share = university["Tỷ lệ từ trình độ này trở lên (%)"]
    if not isinstance(share, float) or abs(share - percent) > 0.0001:
        sys.exit(f"FAIL: {name}: the share: LibreOffice read {share!r}, expected the number {percent}")
    print(f"{name}: LibreOffice reads 10 of 11 cadres with a degree, {share!r}, on {university['Tại ngày']:%d/%m/%Y}")


compliance = f"/api/v1/reports/compliance/download?unit_id={ward['id']}&as_of=2019-05-30"
book = through_libreoffice("compliance.csv", call(f"{compliance}&format=csv", token), VIETNAMESE_CSV)
summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
figures = json.loads(call(compliance.replace("/download", ""), token))["summary"]
expect("compliance.csv: meets", summary["Số người đạt tiêu chuẩn"], figures["meets"])
expect("compliance.csv: headcount", summary["Tổng số người"], figures["headcount"])
if not isinstance(summary["Tỷ lệ đạt tiêu chuẩn (%)"], (int, float)):
    sys.exit(f"FAIL: compliance.csv: the share is {summary['Tỷ lệ đạt tiêu chuẩn (%)']!r}, not a number")
print(f"compliance.csv: {figures['meets']} of {figures['headcount']} meet their standards, as numbers")

# A list's download, written page by page to a file on the service's side: every official
# of the ward, each once, their names intact and their days of birth as days.
officials = json.loads(call(f"/api/v1/officials?unit_id={ward['id']}&limit=500", token))
wanted = {o["code"]: o for o in officials["items"]}
expect("the ward's officials as JSON", len(wanted), officials["total"])
for name, fmt, infilter in [("officials.csv", "csv", VIETNAMESE_CSV), ("officials.xlsx", "xlsx", None)]:
    data = call(f"/api/v1/officials/download?unit_id={ward['id']}&format={fmt}", token)
    rows = rows_from(through_libreoffice(name, data, infilter).worksheets[0], "Mã cán bộ")
    expect(f"{name}: the officials' codes", sorted(row["Mã cán bộ"] for row in rows), sorted(wanted))
    for row in rows:
        official = wanted[row["Mã cán bộ"]]
        expect(f"{name}: {official['code']}'s name", row["Họ và tên"], official["full_name"])
        born = official["date_of_birth"] and datetime.datetime.fromisoformat(official["date_of_birth"])
        expect(f"{name}: {official['code']}'s day of birth", row["Ngày sinh"] or None, born or None)
    print(f"{name}: LibreOffice reads the ward's {len(rows)} officials, names and days of birth intact")
