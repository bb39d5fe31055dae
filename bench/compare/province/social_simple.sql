-- The built-in checks of rules/demo/social.yaml (tables doi_tuong, tai_khoan, chi_tra) in the
-- simplest correct form a database administrator writes for SQLite: trim() for blanks, GLOB and
-- length() for the account-number pattern, ISO text comparison for dates, NOT IN lists, the rule
-- file's own SQL fragments as they are, one aggregate pass per table (chi_tra's also counts the
-- `sql` check's rows), one GROUP BY per duplicate key, and the exact 0.95 quantile of the
-- allowances with a window function (linear interpolation between the closest ranks, as
-- PERCENTILE_CONT). Part of the whole province's built-in part (docs/benchmarks.md "The whole
-- province, built-in part"): bench/compare/compare.py substitutes {today} (YYYY-MM-DD) and runs it
-- with the sqlite3 shell on social.db, read-only. Every output line is "check id|violations|rows
-- checked|duplicate groups|unparseable values|value" (the last field for the checks that have a
-- value).
WITH d AS MATERIALIZED (
  SELECT
    count(*) AS n,
    sum(so_cccd IS NULL OR trim(so_cccd) = '') AS missing_cccd,
    count(loai_tro_cap) AS kind_n,
    sum(loai_tro_cap NOT IN ('nguoi_cao_tuoi', 'khuyet_tat', 'tre_mo_coi', 'ho_ngheo', 'nguoi_co_cong')) AS kind_bad,
    count(muc_huong) AS amount_n,
    sum(typeof(muc_huong) NOT IN ('integer', 'real', 'null')
        OR muc_huong < 360000 OR muc_huong > 10000000) AS amount_bad,
    sum(typeof(muc_huong) NOT IN ('integer', 'real', 'null')) AS amount_unparseable,
    count(so_tai_khoan) AS account_n,
    sum(so_tai_khoan NOT IN (SELECT so_tai_khoan FROM tai_khoan WHERE so_tai_khoan IS NOT NULL)) AS account_unknown
  FROM doi_tuong
),
-- metric quantile 0.95 of the allowances (numbers only), recorded
q AS (
  SELECT CASE WHEN n = 0 THEN NULL
              ELSE lo + ((n - 1) * 0.95 - CAST((n - 1) * 0.95 AS INTEGER)) * (coalesce(hi, lo) - lo) END AS p95
    FROM (SELECT max(n) AS n,
                 max(CASE WHEN i = CAST((n - 1) * 0.95 AS INTEGER) THEN x END) AS lo,
                 max(CASE WHEN i = CAST((n - 1) * 0.95 AS INTEGER) + 1 THEN x END) AS hi
            FROM (SELECT muc_huong AS x, row_number() OVER (ORDER BY muc_huong) - 1 AS i, count(*) OVER () AS n
                    FROM doi_tuong WHERE typeof(muc_huong) IN ('integer', 'real')))
)
SELECT 'row_count:doi_tuong', n < 50, n, '', '', n FROM d
UNION ALL SELECT 'missing:doi_tuong.so_cccd', missing_cccd, n, '', '', '' FROM d
UNION ALL SELECT 'allowed:doi_tuong.loai_tro_cap', coalesce(kind_bad, 0), kind_n, '', '', '' FROM d
UNION ALL SELECT 'range:doi_tuong.muc_huong', coalesce(amount_bad, 0), amount_n, '', coalesce(amount_unparseable, 0), '' FROM d
UNION ALL SELECT 'muc_huong_p95', 0, amount_n, '', coalesce(amount_unparseable, 0), (SELECT p95 FROM q) FROM d
UNION ALL SELECT 'reference:doi_tuong.so_tai_khoan', coalesce(account_unknown, 0), account_n, '', '', '' FROM d;

SELECT 'huong_trung_che_do', coalesce(sum(c - 1), 0), coalesce(sum(c), 0), coalesce(sum(c > 1), 0), ''
  FROM (SELECT count(*) AS c FROM doi_tuong
         WHERE so_cccd IS NOT NULL AND loai_tro_cap IS NOT NULL
         GROUP BY so_cccd, loai_tro_cap);

SELECT 'pattern:tai_khoan.so_tai_khoan',
       coalesce(sum(so_tai_khoan GLOB '*[^0-9]*' OR length(so_tai_khoan) NOT BETWEEN 8 AND 15), 0),
       count(so_tai_khoan), '', ''
  FROM tai_khoan;
SELECT 'duplicate:tai_khoan.so_tai_khoan', coalesce(sum(c - 1), 0), coalesce(sum(c), 0), coalesce(sum(c > 1), 0), ''
  FROM (SELECT count(*) AS c FROM tai_khoan WHERE so_tai_khoan IS NOT NULL GROUP BY so_tai_khoan);

WITH p AS MATERIALIZED (
  SELECT
    count(*) AS n,
    sum(so_tien <= 0) AS amount_bad,
    count(so_tien) AS amount_n,
    avg(CASE WHEN typeof(so_tien) IN ('integer', 'real') THEN so_tien END) AS amount_avg,
    sum(typeof(so_tien) NOT IN ('integer', 'real', 'null')) AS amount_unparseable,
    count(ngay_chi) AS paid_n,
    max(CASE WHEN ngay_chi GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN ngay_chi END) AS newest_payment,
    sum(ngay_chi NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]') AS paid_unparseable,
    sum(doi_tuong_id NOT IN (SELECT id FROM doi_tuong)) AS orphans,
    sum(hinh_thuc = 'chuyen_khoan') AS cashless
  FROM chi_tra
)
SELECT 'row_count:chi_tra', n < 1000, n, '', '', n FROM p
UNION ALL SELECT 'so_tien_khong_hop_le', coalesce(amount_bad, 0), n, '', '', '' FROM p
-- metric avg of the payments, recorded
UNION ALL SELECT 'so_tien_trung_binh', 0, amount_n, '', coalesce(amount_unparseable, 0), amount_avg FROM p
UNION ALL SELECT 'freshness:chi_tra.ngay_chi', coalesce(newest_payment < date('{today}', '-45 days'), 1), paid_n, '',
                 coalesce(paid_unparseable, 0), '' FROM p
-- sql: SELECT COUNT(*) FROM chi_tra WHERE doi_tuong_id NOT IN (SELECT id FROM doi_tuong), at most 0
UNION ALL SELECT 'chi_tra_khong_co_doi_tuong', coalesce(orphans, 0) > 0, 1, '', '', coalesce(orphans, 0) FROM p
-- indicator without a denominator (every row), direction higher
UNION ALL SELECT 'chi_tra_khong_tien_mat', n - coalesce(cashless, 0), n, '', '',
                 CASE WHEN n > 0 THEN 100.0 * coalesce(cashless, 0) / n END FROM p;

SELECT 'chi_trung_ky', coalesce(sum(c - 1), 0), coalesce(sum(c), 0), coalesce(sum(c > 1), 0), ''
  FROM (SELECT count(*) AS c FROM chi_tra
         WHERE doi_tuong_id IS NOT NULL AND ky_chi IS NOT NULL
         GROUP BY doi_tuong_id, ky_chi);
