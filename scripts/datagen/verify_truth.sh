#!/usr/bin/env bash
# Recounts the ground truth of a generated demo province with hand-written sqlite3 queries,
# independently of both the generator's bookkeeping and the dqaudit engine, and compares.
# Usage: scripts/datagen/verify_truth.sh DIR   (DIR holds the five .db files and ground_truth.json)
# Exit 0 when every recounted number equals ground_truth.json. Needs sqlite3 and python3.
# Note: cut-offs use SQLite's date modifiers, which differ from calendar clamping only when
# --today is the 29th-31st of a month; use such dates only with the engine comparison.
set -euo pipefail
dir=${1:?usage: verify_truth.sh DIR}
today=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['today'])" "$dir/ground_truth.json")

# Unicode whitespace of docs/checks.md (White_Space + U+200B + U+FEFF), for trim().
W="char(9,10,11,12,13,32,133,160,5760,8192,8193,8194,8195,8196,8197,8198,8199,8200,8201,8202,8232,8233,8239,8287,12288,8203,65279)"
ISO_DT="'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'"
ISO_D="'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
# valid "YYYY-MM-DD HH:MM:SS" / "YYYY-MM-DD" (0 or 1, never NULL; the unixepoch
# round trip rejects 2024-02-30, which date() alone passes through unchanged)
iso_dt_ok() { echo "coalesce($1 GLOB $ISO_DT AND datetime(unixepoch($1), 'unixepoch') = $1, 0)"; }
iso_d_ok() { echo "coalesce($1 GLOB $ISO_D AND date(unixepoch($1), 'unixepoch') = $1, 0)"; }
# "D/M/YYYY" or "DD/MM/YYYY" -> "YYYY-MM-DD" (NULL when malformed); valid when date() round-trips.
dmy_iso() {
  local x=$1
  echo "(CASE WHEN $x GLOB '[0-9]/*' OR $x GLOB '[0-9][0-9]/*' THEN
     (SELECT CASE WHEN (m GLOB '[0-9]' OR m GLOB '[0-9][0-9]') AND y GLOB '[0-9][0-9][0-9][0-9]'
                  THEN printf('%s-%02d-%02d', y, CAST(m AS INTEGER), CAST(d AS INTEGER)) END
      FROM (SELECT substr($x, 1, instr($x, '/') - 1) AS d,
                   substr(substr($x, instr($x, '/') + 1), 1, instr(substr($x, instr($x, '/') + 1), '/') - 1) AS m,
                   substr(substr($x, instr($x, '/') + 1), instr(substr($x, instr($x, '/') + 1), '/') + 1) AS y))
   END)"
}
dmy_ok() { local iso; iso=$(dmy_iso "$1"); echo "coalesce($iso IS NOT NULL AND date(unixepoch($iso), 'unixepoch') = $iso, 0)"; }
blank_or() { echo "($1 IS NULL OR trim($1, $W) = '' OR trim($1, $W) IN ($2))"; }

q() { sqlite3 -batch -noheader -separator '|' "$@"; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# ---- catalog ----
q "$dir/catalog.db" >>"$out" <<SQL
SELECT 'catalog|row_count:dm_xa', count(*) < 100, count(*), '', '' FROM dm_xa;
SELECT 'catalog|duplicate:dm_xa.ma_xa', coalesce(sum(c - 1), 0), (SELECT count(ma_xa) FROM dm_xa), count(*), ''
  FROM (SELECT count(*) c FROM dm_xa WHERE ma_xa IS NOT NULL GROUP BY ma_xa HAVING c > 1);
SELECT 'catalog|missing:dm_xa.ten_xa', sum($(blank_or ten_xa "NULL")), count(*), '', '' FROM dm_xa;
SELECT 'catalog|missing:dm_xa.ten_huyen', sum($(blank_or ten_huyen "NULL")), count(*), '', '' FROM dm_xa;
SELECT 'catalog|ma_xa_5_chu_so', sum(NOT (ma_xa GLOB '[0-9][0-9][0-9][0-9][0-9]')), count(ma_xa), '', '' FROM dm_xa;
SELECT 'catalog|row_count:dm_tinh', count(*) <> 63, count(*), '', '' FROM dm_tinh;
SELECT 'catalog|pattern:dm_tinh.ma_tinh', sum(NOT (ma_tinh GLOB '[0-9][0-9][0-9]')), count(ma_tinh), '', '' FROM dm_tinh;
SQL

# ---- population ----
NU_NFD="'Nu' || char(795, 771)"
q "$dir/population.db" >>"$out" <<SQL
ATTACH '$dir/catalog.db' AS catalog;
CREATE TEMP VIEW s AS SELECT * FROM cong_dan WHERE trang_thai <> 'thu_nghiem';
SELECT 'population|row_count:cong_dan', count(*) < 5000, count(*), '', '' FROM s;
SELECT 'population|missing:cong_dan.ho_ten', sum($(blank_or ho_ten "'N/A', 'không rõ'")), count(*), '', '' FROM s;
SELECT 'population|missing:cong_dan.ngay_sinh', sum($(blank_or ngay_sinh "'N/A', 'không rõ'")), count(*), '', '' FROM s;
SELECT 'population|missing:cong_dan.so_dien_thoai', sum($(blank_or so_dien_thoai "'N/A', 'không có'")), count(*), '', '' FROM s;
SELECT 'population|duplicate:cong_dan.so_cccd', sum(c - 1), (SELECT count(so_cccd) FROM s), count(*), ''
  FROM (SELECT count(*) c FROM s WHERE so_cccd IS NOT NULL GROUP BY so_cccd HAVING c > 1);
SELECT 'population|cccd_12_chu_so', sum(NOT (so_cccd GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')),
  count(so_cccd), '', '' FROM s;
SELECT 'population|so_dien_thoai_hop_le', sum(NOT (so_dien_thoai GLOB '0[35789][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')),
  count(so_dien_thoai), '', '' FROM s;
SELECT 'population|allowed:cong_dan.gioi_tinh', sum(gioi_tinh NOT IN ('Nam', 'Nữ', $NU_NFD)), count(gioi_tinh), '', '' FROM s;
SELECT 'population|range:cong_dan.ngay_sinh',
  sum(NOT $(iso_d_ok ngay_sinh) OR ngay_sinh > '$today' OR ngay_sinh < date('$today', '-120 years')),
  count(ngay_sinh), '', sum(NOT $(iso_d_ok ngay_sinh)) FROM s WHERE ngay_sinh IS NOT NULL;
SELECT 'population|stale:cong_dan.ngay_cap_nhat',
  sum(NOT $(iso_dt_ok ngay_cap_nhat) OR ngay_cap_nhat < datetime('$today', '-5 years')),
  count(*), '', sum(NOT $(iso_dt_ok ngay_cap_nhat)) FROM s WHERE trang_thai = 'song' AND ngay_cap_nhat IS NOT NULL;
SELECT 'population|freshness:cong_dan.ngay_cap_nhat',
  max(CASE WHEN $(iso_dt_ok ngay_cap_nhat) THEN ngay_cap_nhat END) < datetime('$today', '-30 days'),
  count(*), '', sum(NOT $(iso_dt_ok ngay_cap_nhat)) FROM s WHERE ngay_cap_nhat IS NOT NULL;
SELECT 'population|reference:cong_dan.ma_xa', sum(ma_xa NOT IN (SELECT ma_xa FROM catalog.dm_xa)), count(ma_xa), '', ''
  FROM s WHERE ma_xa IS NOT NULL;
SELECT 'population|coverage:cong_dan.ma_xa',
  (SELECT count(*) FROM catalog.dm_xa d WHERE NOT EXISTS (SELECT 1 FROM s WHERE s.ma_xa = d.ma_xa)),
  (SELECT count(DISTINCT ma_xa) FROM catalog.dm_xa), '', '';
SQL

# ---- civil ----
q "$dir/civil.db" >>"$out" <<SQL
ATTACH '$dir/catalog.db' AS catalog;
SELECT 'civil|row_count:khai_tu', count(*) < 1, count(*), '', '' FROM khai_tu;
SELECT 'civil|missing:khai_tu.so_cccd', sum($(blank_or so_cccd "NULL")), count(*), '', '' FROM khai_tu;
SELECT 'civil|missing:khai_tu.ngay_mat', sum($(blank_or ngay_mat "NULL")), count(*), '', '' FROM khai_tu;
SELECT 'civil|range:khai_tu.ngay_mat',
  sum(NOT $(dmy_ok ngay_mat) OR $(dmy_iso ngay_mat) > '$today' OR $(dmy_iso ngay_mat) < '2000-01-01'),
  count(*), '', sum(NOT $(dmy_ok ngay_mat)) FROM khai_tu WHERE ngay_mat IS NOT NULL;
SELECT 'civil|dang_ky_khai_tu_kip_thoi',
  max(CASE WHEN $(dmy_ok ngay_dang_ky) THEN $(dmy_iso ngay_dang_ky) END) < date('$today', '-30 days'),
  count(*), '', sum(NOT $(dmy_ok ngay_dang_ky)) FROM khai_tu WHERE ngay_dang_ky IS NOT NULL;
SELECT 'civil|reference:khai_tu.noi_dang_ky', sum(noi_dang_ky NOT IN (SELECT ma_xa FROM catalog.dm_xa)), count(noi_dang_ky), '', ''
  FROM khai_tu WHERE noi_dang_ky IS NOT NULL;
SELECT 'civil|row_count:khai_sinh', count(*) < 1, count(*), '', '' FROM khai_sinh;
SELECT 'civil|duplicate:khai_sinh.so_dang_ky,noi_dang_ky', coalesce(sum(c - 1), 0),
  (SELECT count(*) FROM khai_sinh WHERE so_dang_ky IS NOT NULL AND noi_dang_ky IS NOT NULL), count(*), ''
  FROM (SELECT count(*) c FROM khai_sinh WHERE so_dang_ky IS NOT NULL AND noi_dang_ky IS NOT NULL
        GROUP BY so_dang_ky, noi_dang_ky HAVING c > 1);
SELECT 'civil|missing:khai_sinh.ho_ten_cha', sum($(blank_or ho_ten_cha "NULL")), count(*), '', '' FROM khai_sinh;
SELECT 'civil|allowed:khai_sinh.gioi_tinh', sum(gioi_tinh NOT IN ('Nam', 'Nữ', $NU_NFD)), count(gioi_tinh), '', '' FROM khai_sinh;
SQL

# ---- social ----
q "$dir/social.db" >>"$out" <<SQL
SELECT 'social|row_count:doi_tuong', count(*) < 50, count(*), '', '' FROM doi_tuong;
SELECT 'social|missing:doi_tuong.so_cccd', sum($(blank_or so_cccd "NULL")), count(*), '', '' FROM doi_tuong;
SELECT 'social|huong_trung_che_do', coalesce(sum(c - 1), 0),
  (SELECT count(*) FROM doi_tuong WHERE so_cccd IS NOT NULL AND loai_tro_cap IS NOT NULL), count(*), ''
  FROM (SELECT count(*) c FROM doi_tuong WHERE so_cccd IS NOT NULL AND loai_tro_cap IS NOT NULL
        GROUP BY so_cccd, loai_tro_cap HAVING c > 1);
SELECT 'social|allowed:doi_tuong.loai_tro_cap',
  sum(loai_tro_cap NOT IN ('nguoi_cao_tuoi', 'khuyet_tat', 'tre_mo_coi', 'ho_ngheo', 'nguoi_co_cong')),
  count(loai_tro_cap), '', '' FROM doi_tuong;
SELECT 'social|range:doi_tuong.muc_huong',
  sum(typeof(muc_huong) NOT IN ('integer', 'real') OR muc_huong < 360000 OR muc_huong > 10000000),
  count(muc_huong), '', sum(typeof(muc_huong) NOT IN ('integer', 'real')) FROM doi_tuong WHERE muc_huong IS NOT NULL;
SELECT 'social|reference:doi_tuong.so_tai_khoan',
  sum(so_tai_khoan NOT IN (SELECT so_tai_khoan FROM tai_khoan WHERE so_tai_khoan IS NOT NULL)), count(*), '', ''
  FROM doi_tuong WHERE so_tai_khoan IS NOT NULL;
SELECT 'social|duplicate:tai_khoan.so_tai_khoan', coalesce(sum(c - 1), 0), (SELECT count(so_tai_khoan) FROM tai_khoan), count(*), ''
  FROM (SELECT count(*) c FROM tai_khoan WHERE so_tai_khoan IS NOT NULL GROUP BY so_tai_khoan HAVING c > 1);
SELECT 'social|pattern:tai_khoan.so_tai_khoan',
  sum(NOT (so_tai_khoan GLOB '[0-9]*' AND so_tai_khoan NOT GLOB '*[^0-9]*' AND length(so_tai_khoan) BETWEEN 8 AND 15)),
  count(so_tai_khoan), '', '' FROM tai_khoan;
SELECT 'social|row_count:chi_tra', count(*) < 1000, count(*), '', '' FROM chi_tra;
SELECT 'social|chi_trung_ky', coalesce(sum(c - 1), 0),
  (SELECT count(*) FROM chi_tra WHERE doi_tuong_id IS NOT NULL AND ky_chi IS NOT NULL), count(*), ''
  FROM (SELECT count(*) c FROM chi_tra WHERE doi_tuong_id IS NOT NULL AND ky_chi IS NOT NULL
        GROUP BY doi_tuong_id, ky_chi HAVING c > 1);
SELECT 'social|so_tien_khong_hop_le', sum(coalesce(so_tien <= 0, 0)), count(*), '', '' FROM chi_tra;
SELECT 'social|freshness:chi_tra.ngay_chi',
  max(CASE WHEN $(iso_d_ok ngay_chi) THEN ngay_chi END) < date('$today', '-45 days'),
  count(*), '', sum(NOT $(iso_d_ok ngay_chi)) FROM chi_tra WHERE ngay_chi IS NOT NULL;
SELECT 'social|chi_tra_khong_co_doi_tuong', count(*) > 0, 1, '', '' FROM chi_tra WHERE doi_tuong_id NOT IN (SELECT id FROM doi_tuong);
SQL

# ---- services ----
NOW=$(q :memory: "SELECT unixepoch('$today')")
upd_ok="(typeof(ngay_cap_nhat) = 'integer' OR (typeof(ngay_cap_nhat) = 'text' AND $(iso_dt_ok ngay_cap_nhat)))"
upd_secs="(CASE WHEN typeof(ngay_cap_nhat) = 'integer' THEN ngay_cap_nhat ELSE unixepoch(ngay_cap_nhat) END)"
q "$dir/services.db" >>"$out" <<SQL
ATTACH '$dir/catalog.db' AS catalog;
SELECT 'services|row_count:ho_so', count(*) < 1000, count(*), '', '' FROM ho_so;
SELECT 'services|duplicate:ho_so.ma_ho_so', coalesce(sum(c - 1), 0), (SELECT count(ma_ho_so) FROM ho_so), count(*), ''
  FROM (SELECT count(*) c FROM ho_so WHERE ma_ho_so IS NOT NULL GROUP BY ma_ho_so HAVING c > 1);
SELECT 'services|missing:ho_so.linh_vuc', sum($(blank_or linh_vuc "NULL")), count(*), '', '' FROM ho_so;
SELECT 'services|missing:ho_so.ma_xa', sum($(blank_or ma_xa "NULL")), count(*), '', '' FROM ho_so;
SELECT 'services|allowed:ho_so.kenh', sum(kenh NOT IN ('truc_tiep', 'truc_tuyen', 'buu_chinh')), count(kenh), '', '' FROM ho_so;
SELECT 'services|allowed:ho_so.trang_thai', sum(trang_thai NOT IN ('da_tra', 'dang_xu_ly', 'qua_han', 'tra_lai')),
  count(trang_thai), '', '' FROM ho_so;
SELECT 'services|tra_truoc_nhan', sum(coalesce(ngay_tra_kq < ngay_tiep_nhan, 0)), count(*), '', '' FROM ho_so;
SELECT 'services|ho_so_treo', sum(NOT $upd_ok OR $upd_secs < $NOW - 90 * 86400), count(*), '', sum(NOT $upd_ok)
  FROM ho_so WHERE trang_thai = 'dang_xu_ly' AND ngay_cap_nhat IS NOT NULL;
SELECT 'services|freshness:ho_so.ngay_cap_nhat', max(CASE WHEN $upd_ok THEN $upd_secs END) < $NOW - 7 * 86400,
  count(*), '', sum(NOT $upd_ok) FROM ho_so WHERE ngay_cap_nhat IS NOT NULL;
SELECT 'services|range:ho_so.ket_qua_dien_tu', sum(ket_qua_dien_tu NOT BETWEEN 0 AND 1), count(ket_qua_dien_tu), '',
  sum(typeof(ket_qua_dien_tu) NOT IN ('integer', 'real')) FROM ho_so WHERE ket_qua_dien_tu IS NOT NULL;
SELECT 'services|reference:ho_so.ma_xa', sum(ma_xa NOT IN (SELECT ma_xa FROM catalog.dm_xa)), count(*), '', ''
  FROM ho_so WHERE ma_xa IS NOT NULL;
SELECT 'services|da_tra_khong_co_ngay_tra', count(*) > 0, 1, '', '' FROM ho_so WHERE trang_thai = 'da_tra' AND ngay_tra_kq IS NULL;
SQL

python3 - "$dir/ground_truth.json" "$out" <<'PY'
import json, sys
truth = json.load(open(sys.argv[1]))["sources"]
bad, seen = 0, set()
for line in open(sys.argv[2], encoding="utf-8"):
    source, cid, v, n, g, u = line.rstrip("\n").split("|")
    seen.add((source, cid))
    t = truth.get(source, {}).get("checks", {}).get(cid)
    if t is None:
        print(f"no truth: {source} {cid}"); bad += 1; continue
    got = {"violations": int(v or 0), "rows_checked": int(n)}
    if g != "": got["groups"] = int(g)
    if u != "": got["unparseable"] = int(u or 0)
    for k, val in got.items():
        if t.get(k) != val:
            print(f"MISMATCH {source} {cid} {k}: truth {t.get(k)} sqlite3 {val}"); bad += 1
for source, s in truth.items():
    for cid, t in s["checks"].items():
        # Plugin checks ("<sector>.<check>") are recounted from their domain rules by
        # tests/integration/sector_plugins_test.cc, not here.
        if "." in t["type"]:
            continue
        if (source, cid) not in seen:
            print(f"not recounted: {source} {cid}"); bad += 1
print(f"verify_truth: {len(seen)} checks recounted, {bad} mismatches")
sys.exit(1 if bad else 0)
PY
