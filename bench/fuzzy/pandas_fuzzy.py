"""Fuzzy duplicates of population.cong_dan as an analyst writes the job with pandas and jellyfish
(Debian's python3-pandas and python3-jellyfish), the approach of Splink and recordlinkage:
normalised names, blocking passes as pandas merges, Jaro-Winkler on names, a Fellegi-Sunter score
with u estimated from random pairs, a threshold, clusters by union-find. docs/benchmarks.md
"Fuzzy duplicates" says what it handles and what it does not.

Usage: pandas_fuzzy.py POPULATION_DB OUT_CSV [--threshold P] [--max-block N]
Writes the clusters as `dqaudit report --failing` does (group,id,matched_with,probability,
agreement) and prints "candidate_pairs|matched_pairs|clusters|seconds" (seconds: from reading the table to
the clusters written, without Python's start and imports).
"""
import argparse
import csv
import math
import sqlite3
import sys
import time
import warnings

import jellyfish
import numpy as np
import pandas as pd

# jellyfish 0.8.9 (Debian) parses its arguments with the deprecated "u" format of Python 3.11.
warnings.filterwarnings("ignore", category=DeprecationWarning)

# Comparison levels per field, and m = P(level | same person): an analyst's prior guesses, the
# way Splink's comparison templates start before training. u = P(level | different people) is
# estimated from random pairs of records (estimate_u_using_random_sampling).
NAME_LEVELS = ["exact", "jw>=0.94", "jw>=0.85", "other"]
NAME_M = [0.55, 0.25, 0.12, 0.08]
DATE_LEVELS = ["exact", "day-month swap", "other"]
DATE_M = [0.88, 0.04, 0.08]
CCCD_LEVELS = ["exact", "one edit", "other"]
CCCD_M = [0.70, 0.15, 0.15]
EQUAL_LEVELS = ["equal", "other"]
COMMUNE_M = [0.90, 0.10]
GENDER_M = [0.98, 0.02]
PHONE_M = [0.60, 0.40]
MISSING = -1  # a missing value on either side: the field is left out of the score


def load(path):
    """The citizens in scope (not test records, with a name), with their normalised fields."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    df = pd.read_sql_query(
        "SELECT id, so_cccd, ho_ten, ngay_sinh, gioi_tinh, ma_xa, so_dien_thoai FROM cong_dan "
        "WHERE trang_thai IS NOT 'thu_nghiem' AND ho_ten IS NOT NULL", con)
    con.close()
    # Names: NFC, lower case, đ -> d, diacritics removed (NFD minus combining marks), one space.
    name = (df["ho_ten"].str.normalize("NFC").str.lower().str.replace("đ", "d", regex=False)
            .str.normalize("NFD").str.replace(r"[\u0300-\u036f]", "", regex=True)
            .str.split().str.join(" "))
    df["name"] = name
    df = df[df["name"].str.len() > 0].reset_index(drop=True)
    parts = df["name"].str.split(" ")
    df["family"] = parts.str[0]
    df["given"] = parts.str[-1]
    dob = pd.to_datetime(df["ngay_sinh"].str.strip(), format="%Y-%m-%d", errors="coerce")
    df["dob"] = dob.dt.strftime("%Y-%m-%d")
    swapped = pd.to_datetime(dob.dt.strftime("%Y-%d-%m"), format="%Y-%m-%d", errors="coerce")
    df["dob_swapped"] = swapped.dt.strftime("%Y-%m-%d")
    df["year"] = dob.dt.year.astype("Int64").astype(str).replace("<NA>", None)
    cccd = df["so_cccd"].str.strip()
    df["cccd"] = cccd.where(cccd.str.fullmatch(r"[0-9]{12}|[0-9]{9}").fillna(False))
    df["commune"] = df["ma_xa"].str.strip().replace("", None)
    df["gender"] = df["gioi_tinh"].str.normalize("NFC").str.strip().str.lower().replace("", None)
    df["phone"] = df["so_dien_thoai"].str.replace(r"\D", "", regex=True).replace("", None)
    return df


def candidate_pairs(df, max_block):
    """Row positions (left < right) of the pairs that share a blocking key, each pair once.
    A key shared by more than `max_block` records is skipped (it would be n^2 pairs)."""
    passes = [(["given", "dob"], ["given", "dob"]), (["family", "dob"], ["family", "dob"]),
              (["commune", "dob"], ["commune", "dob"]), (["name", "year"], ["name", "year"]),
              (["cccd"], ["cccd"]), (["given", "dob"], ["given", "dob_swapped"])]
    pos = pd.DataFrame({"pos": np.arange(len(df))})
    found = []
    for left_cols, right_cols in passes:
        left = pd.concat([pos, df[left_cols]], axis=1).dropna()
        right = pd.concat([pos, df[right_cols].set_axis(left_cols, axis=1)], axis=1).dropna()
        sizes = left.groupby(left_cols)["pos"].transform("size")
        left = left[sizes <= max_block]
        m = left.merge(right, on=left_cols, suffixes=("_l", "_r"))
        m = m[m["pos_l"] != m["pos_r"]]
        lo = np.minimum(m["pos_l"].to_numpy(), m["pos_r"].to_numpy()).astype(np.int64)
        hi = np.maximum(m["pos_l"].to_numpy(), m["pos_r"].to_numpy()).astype(np.int64)
        found.append(lo * (1 << 32) + hi)
    both = np.unique(np.concatenate(found)) if found else np.empty(0, np.int64)
    return both >> 32, both & ((1 << 32) - 1)


def equal_levels(values, a, b):
    """0 equal, 1 different, MISSING when either side is missing."""
    va, vb = values[a], values[b]
    level = np.where(va == vb, 0, 1)
    missing = pd.isna(va) | pd.isna(vb)
    return np.where(missing, MISSING, level)


def levels(df, a, b):
    """The comparison level of each field for the pairs (a[i], b[i]); {field: int array}."""
    name = df["name"].to_numpy(object)
    jw = np.fromiter((1.0 if x == y else jellyfish.jaro_winkler_similarity(x, y)
                      for x, y in zip(name[a], name[b])), float, len(a))
    name_level = np.select([name[a] == name[b], jw >= 0.94, jw >= 0.85], [0, 1, 2], 3)

    dob = df["dob"].to_numpy(object)
    swapped = df["dob_swapped"].to_numpy(object)
    date_level = np.select([dob[a] == dob[b], swapped[a] == dob[b]], [0, 1], 2)
    date_level = np.where(pd.isna(dob[a]) | pd.isna(dob[b]), MISSING, date_level)

    # CCCD: equal, one digit substituted or two adjacent digits swapped, or other.
    cccd = df["cccd"].to_numpy(object)
    ca, cb = cccd[a], cccd[b]
    present = ~(pd.isna(ca) | pd.isna(cb))
    cccd_level = np.full(len(a), MISSING)
    idx = np.flatnonzero(present)
    if len(idx):
        sa = np.array([s.ljust(12) for s in ca[idx]], dtype="S12").view(np.uint8).reshape(-1, 12)
        sb = np.array([s.ljust(12) for s in cb[idx]], dtype="S12").view(np.uint8).reshape(-1, 12)
        diff = sa != sb
        ndiff = diff.sum(axis=1)
        first = diff.argmax(axis=1)
        nxt = np.minimum(first + 1, 11)
        rows = np.arange(len(idx))
        transposed = ((ndiff == 2) & diff[rows, nxt] & (sa[rows, first] == sb[rows, nxt])
                      & (sa[rows, nxt] == sb[rows, first]))
        cccd_level[idx] = np.select([ndiff == 0, (ndiff == 1) | transposed], [0, 1], 2)
    return {"name": name_level, "date": date_level, "cccd": cccd_level,
            "commune": equal_levels(df["commune"].to_numpy(object), a, b),
            "gender": equal_levels(df["gender"].to_numpy(object), a, b),
            "phone": equal_levels(df["phone"].to_numpy(object), a, b)}


M = {"name": NAME_M, "date": DATE_M, "cccd": CCCD_M, "commune": COMMUNE_M, "gender": GENDER_M,
     "phone": PHONE_M}
LEVEL_NAMES = {"name": NAME_LEVELS, "date": DATE_LEVELS, "cccd": CCCD_LEVELS,
               "commune": EQUAL_LEVELS, "gender": EQUAL_LEVELS, "phone": EQUAL_LEVELS}


def estimate_u(df, samples=200_000, seed=20261101):
    """u per field and level from random pairs of records (smoothed by 0.5 per count)."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, len(df), samples)
    b = rng.integers(0, len(df), samples)
    keep = a != b
    lv = levels(df, a[keep], b[keep])
    u = {}
    for field, level in lv.items():
        counts = np.array([(level == i).sum() for i in range(len(M[field]))], float) + 0.5
        u[field] = counts / counts.sum()
    return u


def prior_log_odds(df):
    """Splink's probability that two random records match, from a deterministic rule (same CCCD,
    or same normalised name and birth date) assumed to find 60% of the matches."""
    n = len(df)
    rule = 0
    for cols in (["cccd"], ["name", "dob"]):
        sizes = df.dropna(subset=cols).groupby(cols).size()
        rule += int((sizes * (sizes - 1) // 2).sum())
    p = max(rule / 0.6, 1) / (n * (n - 1) / 2)
    return math.log2(p / (1 - p))


def find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db")
    ap.add_argument("out")
    ap.add_argument("--threshold", type=float, default=0.9)
    ap.add_argument("--max-block", type=int, default=500)
    args = ap.parse_args()

    started = time.monotonic()  # the job's time, as dqaudit's duration_ms: reading to clusters
    df = load(args.db)
    a, b = candidate_pairs(df, args.max_block)
    u = estimate_u(df)
    lv = levels(df, a, b)
    weight = np.full(len(a), prior_log_odds(df))
    for field, level in lv.items():
        w = np.log2(np.array(M[field]) / u[field])
        weight += np.where(level == MISSING, 0.0, w[np.maximum(level, 0)])
    probability = 1.0 / (1.0 + np.exp2(-weight))
    matched = np.flatnonzero(probability >= args.threshold)

    parent = list(range(len(df)))
    best = {}  # position -> (probability, partner position, pair index)
    for i in matched:
        x, y = int(a[i]), int(b[i])
        rx, ry = find(parent, x), find(parent, y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)
        for p, q in ((x, y), (y, x)):
            if p not in best or probability[i] > best[p][0]:
                best[p] = (probability[i], q, i)
    groups = {}
    ids = df["id"].to_numpy()
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "group", "matched_with", "probability", "agreement"])
        for p in sorted(best, key=lambda p: (find(parent, p), p)):
            group = groups.setdefault(find(parent, p), len(groups) + 1)
            prob, q, i = best[p]
            agreement = ",".join(f"{field}:{LEVEL_NAMES[field][lv[field][i]]}"
                                 if lv[field][i] != MISSING else f"{field}:missing"
                                 for field in M)
            w.writerow([ids[p], group, ids[q], f"{prob:.4f}", agreement])
    print(f"{len(a)}|{len(matched)}|{len(groups)}|{time.monotonic() - started:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
