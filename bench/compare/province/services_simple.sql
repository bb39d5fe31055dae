-- The built-in checks of rules/demo/services.yaml (tables ho_so, bao_cao_tiep_nhan) in the
-- simplest correct form a database administrator writes for SQLite: trim() for blanks, NOT IN
-- lists, the rule file's own SQL fragments (condition, indicators) as they are, one aggregate pass
-- over ho_so that also counts the `sql` check's rows, one GROUP BY for the duplicates, and for the
-- reconcile check one GROUP BY per side matched on the group key. ngay_cap_nhat holds Unix seconds
-- (INTEGER), a few rows ISO text: the text is read with unixepoch(), a REAL or unreadable value is
-- unparseable. Part of the whole province's built-in part (docs/benchmarks.md "The whole province,
-- built-in part"): bench/compare/compare.py substitutes {today} (YYYY-MM-DD) and {catalog} (the
-- path of catalog.db) and runs it with the sqlite3 shell on services.db, read-only. Every output
-- line is "check id|violations|rows checked|duplicate groups|unparseable values|value" (the last
-- field for the checks that have a value).
--
-- What this form does not see (compare.py names these checks as known differences): trim() strips
-- only the ASCII space, so a value of Unicode spaces (the no-break space) is not blank.
ATTACH '{catalog}' AS catalog;

WITH h AS MATERIALIZED (
  SELECT
    count(*) AS n,
    sum(linh_vuc IS NULL OR trim(linh_vuc) = '') AS missing_field,
    sum(ma_xa IS NULL OR trim(ma_xa) = '') AS missing_commune,
    count(kenh) AS channel_n,
    sum(kenh NOT IN ('truc_tiep', 'truc_tuyen', 'buu_chinh')) AS channel_bad,
    count(trang_thai) AS status_n,
    sum(trang_thai NOT IN ('da_tra', 'dang_xu_ly', 'qua_han', 'tra_lai')) AS status_bad,
    sum(ngay_tra_kq < ngay_tiep_nhan) AS returned_before_received,
    sum(trang_thai = 'dang_xu_ly' AND ngay_cap_nhat IS NOT NULL) AS pending_n,
    sum(trang_thai = 'dang_xu_ly' AND ngay_cap_nhat IS NOT NULL
        AND (updated IS NULL OR updated < unixepoch('{today}') - 90 * 86400)) AS pending_stale,
    sum(trang_thai = 'dang_xu_ly' AND ngay_cap_nhat IS NOT NULL AND updated IS NULL) AS pending_unparseable,
    count(ngay_cap_nhat) AS updated_n,
    max(updated) AS newest_update,
    sum(ngay_cap_nhat IS NOT NULL AND updated IS NULL) AS updated_unparseable,
    count(ket_qua_dien_tu) AS electronic_n,
    sum(typeof(ket_qua_dien_tu) NOT IN ('integer', 'real', 'null') OR ket_qua_dien_tu < 0 OR ket_qua_dien_tu > 1) AS electronic_bad,
    sum(typeof(ket_qua_dien_tu) NOT IN ('integer', 'real', 'null')) AS electronic_unparseable,
    count(ma_xa) AS commune_n,
    sum(ma_xa NOT IN (SELECT ma_xa FROM catalog.dm_xa WHERE ma_xa IS NOT NULL)) AS commune_unknown,
    sum(trang_thai = 'da_tra' AND ngay_tra_kq IS NULL) AS returned_without_date,
    sum(ngay_tra_kq IS NOT NULL) AS returned_n,
    sum(ngay_tra_kq IS NOT NULL AND date(ngay_tra_kq) <= date(ngay_hen_tra)) AS on_time,
    sum(ngay_tra_kq IS NOT NULL AND ket_qua_dien_tu = 1) AS electronic_result
  FROM (SELECT *, CASE typeof(ngay_cap_nhat) WHEN 'integer' THEN ngay_cap_nhat
                                             WHEN 'text' THEN unixepoch(ngay_cap_nhat) END AS updated
          FROM ho_so)
)
SELECT 'row_count:ho_so', n < 1000, n, '', '', n FROM h
UNION ALL SELECT 'missing:ho_so.linh_vuc', missing_field, n, '', '', '' FROM h
UNION ALL SELECT 'missing:ho_so.ma_xa', missing_commune, n, '', '', '' FROM h
UNION ALL SELECT 'allowed:ho_so.kenh', coalesce(channel_bad, 0), channel_n, '', '', '' FROM h
UNION ALL SELECT 'allowed:ho_so.trang_thai', coalesce(status_bad, 0), status_n, '', '', '' FROM h
UNION ALL SELECT 'tra_truoc_nhan', coalesce(returned_before_received, 0), n, '', '', '' FROM h
UNION ALL SELECT 'ho_so_treo', coalesce(pending_stale, 0), pending_n, '', coalesce(pending_unparseable, 0), '' FROM h
UNION ALL SELECT 'freshness:ho_so.ngay_cap_nhat', coalesce(newest_update < unixepoch('{today}') - 7 * 86400, 1),
                 updated_n, '', coalesce(updated_unparseable, 0), '' FROM h
UNION ALL SELECT 'range:ho_so.ket_qua_dien_tu', coalesce(electronic_bad, 0), electronic_n, '',
                 coalesce(electronic_unparseable, 0), '' FROM h
UNION ALL SELECT 'reference:ho_so.ma_xa', coalesce(commune_unknown, 0), commune_n, '', '', '' FROM h
-- sql: SELECT COUNT(*) FROM ho_so WHERE trang_thai = 'da_tra' AND ngay_tra_kq IS NULL, at most 0
UNION ALL SELECT 'da_tra_khong_co_ngay_tra', returned_without_date > 0, 1, '', '', returned_without_date FROM h
-- indicators (direction higher): the denominator's rows that miss the numerator are the violations
UNION ALL SELECT 'ho_so_tra_dung_han', returned_n - on_time, returned_n, '', '',
                 CASE WHEN returned_n > 0 THEN 100.0 * on_time / returned_n END FROM h
UNION ALL SELECT 'ket_qua_truc_tuyen', returned_n - electronic_result, returned_n, '', '',
                 CASE WHEN returned_n > 0 THEN 100.0 * electronic_result / returned_n END FROM h;

SELECT 'duplicate:ho_so.ma_ho_so', coalesce(sum(c - 1), 0), coalesce(sum(c), 0), coalesce(sum(c > 1), 0), ''
  FROM (SELECT count(*) AS c FROM ho_so WHERE ma_ho_so IS NOT NULL GROUP BY ma_ho_so);

-- reconcile: dossiers per commune against the centre's reported totals, within 2. The groups are
-- the union of both sides' keys (a NULL key is one group); the value is the left total minus the
-- right total.
SELECT 'ho_so_khop_bao_cao', coalesce(sum(abs(l - r) > 2), 0), count(*), '', '', coalesce(sum(l) - sum(r), 0)
  FROM (SELECT k, sum(l) AS l, sum(r) AS r
          FROM (SELECT ma_xa AS k, count(*) AS l, 0 AS r FROM ho_so GROUP BY ma_xa
                UNION ALL
                SELECT ma_xa, 0, coalesce(sum(so_ho_so), 0) FROM bao_cao_tiep_nhan GROUP BY ma_xa)
         GROUP BY k);
