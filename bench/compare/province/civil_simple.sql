-- The built-in checks of rules/demo/civil.yaml (tables khai_tu, khai_sinh) in the simplest correct
-- form a database administrator writes for SQLite: trim() for blanks, NOT IN lists, one aggregate
-- pass per table, one GROUP BY for the duplicates. The register writes dates as DD/MM/YYYY text,
-- the day and month with one or two digits (`5/3/2025`): the four shapes are told apart with GLOB
-- and the date rewritten as ISO text (year from the last four characters, day and month read as
-- the leading integers of their parts), then compared as text. Part of the whole province's
-- built-in part (docs/benchmarks.md "The whole province, built-in part"): bench/compare/compare.py
-- substitutes {today} (YYYY-MM-DD) and {catalog} (the path of catalog.db) and runs it with the
-- sqlite3 shell on civil.db, read-only. Every output line is "check id|violations|rows checked|
-- duplicate groups|unparseable values|value" (the last field for the checks that have a value).
--
-- What this form does not see (compare.py names these checks as known differences): a date of
-- the right shape that does not exist (31/02/2025) passes the text comparison and is not
-- unparseable; 'Nữ' spelt in NFD is not 'Nữ'.
ATTACH '{catalog}' AS catalog;

WITH t AS MATERIALIZED (
  SELECT
    count(*) AS n,
    sum(so_cccd IS NULL OR trim(so_cccd) = '') AS missing_cccd,
    sum(ngay_mat IS NULL OR trim(ngay_mat) = '') AS missing_death,
    count(ngay_mat) AS death_n,
    sum(ngay_mat IS NOT NULL AND (death IS NULL OR death > '{today}' OR death < '2000-01-01')) AS death_bad,
    sum(ngay_mat IS NOT NULL AND death IS NULL) AS death_unparseable,
    count(ngay_dang_ky) AS reg_n,
    max(reg) AS newest_reg,
    sum(ngay_dang_ky IS NOT NULL AND reg IS NULL) AS reg_unparseable,
    count(noi_dang_ky) AS place_n,
    sum(noi_dang_ky NOT IN (SELECT ma_xa FROM catalog.dm_xa WHERE ma_xa IS NOT NULL)) AS place_unknown
  FROM (SELECT so_cccd, ngay_mat, ngay_dang_ky, noi_dang_ky,
               CASE WHEN ngay_mat GLOB '[0-9]/[0-9]/[0-9][0-9][0-9][0-9]'
                      OR ngay_mat GLOB '[0-9][0-9]/[0-9]/[0-9][0-9][0-9][0-9]'
                      OR ngay_mat GLOB '[0-9]/[0-9][0-9]/[0-9][0-9][0-9][0-9]'
                      OR ngay_mat GLOB '[0-9][0-9]/[0-9][0-9]/[0-9][0-9][0-9][0-9]'
                    THEN printf('%s-%02d-%02d', substr(ngay_mat, -4),
                                CAST(substr(ngay_mat, instr(ngay_mat, '/') + 1) AS INTEGER),
                                CAST(ngay_mat AS INTEGER)) END AS death,
               CASE WHEN ngay_dang_ky GLOB '[0-9]/[0-9]/[0-9][0-9][0-9][0-9]'
                      OR ngay_dang_ky GLOB '[0-9][0-9]/[0-9]/[0-9][0-9][0-9][0-9]'
                      OR ngay_dang_ky GLOB '[0-9]/[0-9][0-9]/[0-9][0-9][0-9][0-9]'
                      OR ngay_dang_ky GLOB '[0-9][0-9]/[0-9][0-9]/[0-9][0-9][0-9][0-9]'
                    THEN printf('%s-%02d-%02d', substr(ngay_dang_ky, -4),
                                CAST(substr(ngay_dang_ky, instr(ngay_dang_ky, '/') + 1) AS INTEGER),
                                CAST(ngay_dang_ky AS INTEGER)) END AS reg
          FROM khai_tu)
)
SELECT 'row_count:khai_tu', n < 1, n, '', '', n FROM t
UNION ALL SELECT 'missing:khai_tu.so_cccd', missing_cccd, n, '', '', '' FROM t
UNION ALL SELECT 'missing:khai_tu.ngay_mat', missing_death, n, '', '', '' FROM t
UNION ALL SELECT 'range:khai_tu.ngay_mat', coalesce(death_bad, 0), death_n, '', coalesce(death_unparseable, 0), '' FROM t
UNION ALL SELECT 'dang_ky_khai_tu_kip_thoi', coalesce(newest_reg < date('{today}', '-30 days'), 1), reg_n, '',
                 coalesce(reg_unparseable, 0), '' FROM t
UNION ALL SELECT 'reference:khai_tu.noi_dang_ky', coalesce(place_unknown, 0), place_n, '', '', '' FROM t;

WITH s AS MATERIALIZED (
  SELECT
    count(*) AS n,
    sum(ho_ten_cha IS NULL OR trim(ho_ten_cha) = '') AS missing_father,
    count(gioi_tinh) AS gender_n,
    sum(gioi_tinh NOT IN ('Nam', 'Nữ')) AS gender_bad
  FROM khai_sinh
)
SELECT 'row_count:khai_sinh', n < 1, n, '', '', n FROM s
UNION ALL SELECT 'missing:khai_sinh.ho_ten_cha', missing_father, n, '', '', '' FROM s
UNION ALL SELECT 'allowed:khai_sinh.gioi_tinh', coalesce(gender_bad, 0), gender_n, '', '', '' FROM s;

SELECT 'duplicate:khai_sinh.so_dang_ky,noi_dang_ky', coalesce(sum(c - 1), 0), coalesce(sum(c), 0),
       coalesce(sum(c > 1), 0), ''
  FROM (SELECT count(*) AS c FROM khai_sinh
         WHERE so_dang_ky IS NOT NULL AND noi_dang_ky IS NOT NULL
         GROUP BY so_dang_ky, noi_dang_ky);
