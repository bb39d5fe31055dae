"""Changes a share of the rows of the population table (cong_dan) of a copied province, as a
department's day of edits does: a mix of UPDATE (70%), INSERT (15%) and DELETE (15%), in one
transaction. Used by bench/nightly/nightly.py (docs/benchmarks.md "Nightly").

Usage: change_rows.py DB --percent P --mode clustered|scattered [--seed N] [--today YYYY-MM-DD]
  clustered: the updated and deleted rows are the most recently registered citizens (the highest
             ids; test records aside), as a department's edits are
  scattered: uniformly random ids
New citizens get new ids after the largest in both modes, as a registration does. An updated row
gets a new update time (the day before --today) and one column copied from another random row
(so the checks' numbers move: duplicates, patterns, dates, communes...); an inserted row is a copy
of a random row under a new id. Prints "updated U inserted I deleted D".
"""
import argparse
import datetime
import random
import sqlite3
import sys

COLUMNS = ["so_cccd", "ho_ten", "ngay_sinh", "gioi_tinh", "ma_xa", "so_dien_thoai", "trang_thai"]
ALL = ["so_cccd", "ho_ten", "ngay_sinh", "gioi_tinh", "ma_xa", "so_dien_thoai", "trang_thai",
       "ngay_cap_nhat"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db")
    ap.add_argument("--percent", type=float, required=True)
    ap.add_argument("--mode", choices=["clustered", "scattered"], required=True)
    ap.add_argument("--seed", type=int, default=20261101)
    ap.add_argument("--today", default="2026-11-01")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    con = sqlite3.connect(args.db, isolation_level=None)
    ids = [r[0] for r in con.execute(
        "SELECT id FROM cong_dan WHERE trang_thai IS NOT 'thu_nghiem' ORDER BY id")]
    total = con.execute("SELECT count(*) FROM cong_dan").fetchone()[0]
    changed = round(total * args.percent / 100)
    updates = round(changed * 0.70)
    deletes = round(changed * 0.15)
    inserts = changed - updates - deletes
    if args.mode == "clustered":
        touched = ids[len(ids) - (updates + deletes):] if updates + deletes else []
        rng.shuffle(touched)
    else:
        touched = rng.sample(ids, updates + deletes)
    yesterday = datetime.date.fromisoformat(args.today) - datetime.timedelta(days=1)

    def stamp():
        return f"{yesterday} {rng.randrange(7, 18):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"

    # The rows values are copied from, read before anything changes (a donor may be deleted).
    donors = [con.execute(f"SELECT {', '.join(ALL)} FROM cong_dan WHERE id = ?",
                          (ids[rng.randrange(len(ids))],)).fetchone()
              for _ in range(updates + inserts)]

    con.execute("BEGIN")
    for row_id, donor in zip(touched[:updates], donors):
        column = rng.choice(COLUMNS)
        value = donor[ALL.index(column)]
        con.execute(f"UPDATE cong_dan SET {column} = ?, ngay_cap_nhat = ? WHERE id = ?",
                    (value, stamp(), row_id))
    con.executemany("DELETE FROM cong_dan WHERE id = ?", [(i,) for i in touched[updates:]])
    next_id = con.execute("SELECT max(id) FROM cong_dan").fetchone()[0] + 1
    for i, donor in enumerate(donors[updates:]):
        values = list(donor)
        values[ALL.index("ngay_cap_nhat")] = stamp()
        con.execute(f"INSERT INTO cong_dan (id, {', '.join(ALL)}) VALUES (?{', ?' * len(ALL)})",
                    [next_id + i] + values)
    con.execute("COMMIT")
    con.close()
    print(f"updated {updates} inserted {inserts} deleted {deletes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
