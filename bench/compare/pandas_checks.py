"""The built-in checks of rules/demo/population.yaml (table cong_dan) as a pandas user writes them.

Usage: pandas_checks.py POPULATION_DB CATALOG_DB TODAY
Prints "check id|violations|rows checked|duplicate groups|unparseable dates" per check, like
population.sql, for bench/compare/compare.py. Reads the table the way pandas is used: the whole
table into one DataFrame (read_sql_query), then vectorised column operations. The semantics are
those of docs/checks.md: SQL NULL is never a value, Unicode whitespace is trimmed for `missing`,
text is compared in NFC, ISO dates must exist, month arithmetic clamps to the month's end.
"""
import calendar
import datetime as dt
import sqlite3
import sys
import unicodedata

import pandas as pd

# docs/checks.md "Whitespace": White_Space + U+200B + U+FEFF.
WHITESPACE = "".join(
    chr(c)
    for c in [9, 10, 11, 12, 13, 32, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029,
              0x202F, 0x205F, 0x3000, 0x200B, 0xFEFF])
ISO = (r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?"
       r"(?P<tz>Z|[+-]\d{2}:\d{2})?$")


def shift_months(day, months):
    """`day` moved by calendar months, clamped to the end of the month (docs/checks.md)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def nfc(series):
    return series.map(lambda v: unicodedata.normalize("NFC", v) if isinstance(v, str) else v)


def text_form(series):
    """TEXT as stored, INTEGER in decimal, REAL shortest round trip (non-NULL values only)."""
    return series.map(lambda v: v if isinstance(v, str) else repr(v) if isinstance(v, float) else str(v))


def parse_iso(series):
    """UTC timestamps of a column's non-NULL values (NaT when unparseable), docs/checks.md "Dates":
    INTEGER values are Unix seconds, REAL values are unparseable, text is ISO date/time with
    optional offset and surrounding ASCII whitespace."""
    is_int = series.map(lambda v: isinstance(v, int))
    is_text = series.map(lambda v: isinstance(v, str))
    parts = series.where(is_text, "").astype(str).str.strip(" \t\n\v\f\r").str.extract(ISO)
    time = parts["time"].fillna("00:00:00")
    time = time.where(time.str.len() != 5, time + ":00").str.slice(0, 8)  # HH:MM, .fraction
    stamp = parts["date"] + " " + time
    when = pd.to_datetime(stamp, format="%Y-%m-%d %H:%M:%S", errors="coerce", utc=True)
    tz = parts["tz"].fillna("Z")
    offset = tz.map(lambda z: 0 if z == "Z" else (1 if z[0] == "+" else -1) * (int(z[1:3]) * 60 + int(z[4:6])))
    when = when - pd.to_timedelta(offset, unit="m")
    seconds = pd.to_datetime(series.where(is_int, None).astype("float64"), unit="s", utc=True)
    return when.where(~is_int, seconds)


def main():
    population_db, catalog_db, today_text = sys.argv[1:4]
    today = dt.date.fromisoformat(today_text)
    now = pd.Timestamp(today_text, tz="UTC")
    con = sqlite3.connect(f"file:{population_db}?mode=ro", uri=True)
    df = pd.read_sql_query("SELECT * FROM cong_dan", con)
    catalog = sqlite3.connect(f"file:{catalog_db}?mode=ro", uri=True)
    communes = pd.read_sql_query("SELECT ma_xa FROM dm_xa", catalog)["ma_xa"].dropna()

    # filter: trang_thai <> 'thu_nghiem' (SQL: a NULL status is not in scope)
    s = df[df["trang_thai"].notna() & (df["trang_thai"] != "thu_nghiem")]
    n = len(s)
    out = [("row_count:cong_dan", int(n < 5000), n, "", "")]

    for column, values in [("ho_ten", ["N/A", "không rõ"]), ("ngay_sinh", ["N/A", "không rõ"]),
                           ("so_dien_thoai", ["N/A", "không có"])]:
        col = s[column]
        trimmed = nfc(text_form(col.dropna()).str.strip(WHITESPACE))
        missing = col.isna().sum() + ((trimmed == "") | trimmed.isin(values)).sum()
        out.append((f"missing:cong_dan.{column}", int(missing), n, "", ""))

    keys = s["so_cccd"].dropna()
    counts = keys.value_counts()
    repeated = counts[counts > 1]
    out.append(("duplicate:cong_dan.so_cccd", int((repeated - 1).sum()), len(keys), len(repeated), ""))

    for check, column, regex in [("cccd_12_chu_so", "so_cccd", r"[0-9]{12}"),
                                 ("so_dien_thoai_hop_le", "so_dien_thoai", r"0[35789][0-9]{8}")]:
        values = nfc(text_form(s[column].dropna()))
        out.append((check, int((~values.str.fullmatch(regex)).sum()), len(values), "", ""))

    gender = nfc(text_form(s["gioi_tinh"].dropna()))
    out.append(("allowed:cong_dan.gioi_tinh", int((~gender.isin(["Nam", "Nữ"])).sum()), len(gender), "", ""))

    birth = s["ngay_sinh"].dropna()
    born = parse_iso(birth)
    born_day = born.dt.date
    lo, hi = shift_months(today, -120 * 12), today
    bad = born.isna() | (born_day < lo) | (born_day > hi)
    out.append(("range:cong_dan.ngay_sinh", int(bad.sum()), len(birth), "", int(born.isna().sum())))
    # metric (unbounded max of the birth dates; NULL ratio of phones at most 0.1) and drift, which
    # without a history store only records its baseline.
    out.append(("ngay_sinh_moi_nhat", 0, len(birth), "", int(born.isna().sum())))
    phone_nulls = int(s["so_dien_thoai"].isna().sum())
    out.append(("ty_le_null_so_dien_thoai", int(phone_nulls > 0.1 * len(s)), len(s), "", ""))
    out.append(("ngay_sinh_on_dinh", 0, 0, "", ""))

    updated = s["ngay_cap_nhat"].dropna()
    when = parse_iso(updated)
    newest = when.max()
    stale_fresh = int(pd.isna(newest) or newest < now - pd.Timedelta(days=30))
    out.append(("freshness:cong_dan.ngay_cap_nhat", stale_fresh, len(updated), "", int(when.isna().sum())))

    alive = s["trang_thai"] == "song"
    alive_updated = when[alive.reindex(when.index)]
    cutoff = pd.Timestamp(shift_months(today, -5 * 12), tz="UTC")
    stale = alive_updated.isna() | (alive_updated < cutoff)
    out.append(("stale:cong_dan.ngay_cap_nhat", int(stale.sum()), len(alive_updated), "",
                int(alive_updated.isna().sum())))

    known = set(text_form(communes))
    commune = text_form(s["ma_xa"].dropna())
    out.append(("reference:cong_dan.ma_xa", int((~commune.isin(known)).sum()), len(commune), "", ""))
    expected = set(text_form(communes).unique())
    present = set(commune.unique())
    out.append(("coverage:cong_dan.ma_xa", len(expected - present), len(expected), "", ""))

    for row in out:
        print("|".join(str(v) for v in row))


if __name__ == "__main__":
    main()
