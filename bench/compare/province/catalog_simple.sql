-- The built-in checks of rules/demo/catalog.yaml (tables dm_xa, dm_tinh) in the simplest correct
-- form a database administrator writes for SQLite: trim() for blanks, GLOB for fixed-width
-- patterns, one aggregate pass per table, one GROUP BY for the duplicates. Part of the whole
-- province's built-in part (docs/benchmarks.md "The whole province, built-in part"):
-- bench/compare/compare.py runs it with the sqlite3 shell on catalog.db, read-only. Every output
-- line is "check id|violations|rows checked|duplicate groups|unparseable values|value" (the last
-- field for the checks that have a value: here the row counts).
WITH x AS MATERIALIZED (
  SELECT
    count(*) AS n,
    sum(ten_xa IS NULL OR trim(ten_xa) = '') AS missing_ten_xa,
    sum(ten_huyen IS NULL OR trim(ten_huyen) = '') AS missing_ten_huyen,
    count(ma_xa) AS ma_xa_n,
    sum(ma_xa NOT GLOB '[0-9][0-9][0-9][0-9][0-9]') AS ma_xa_bad
  FROM dm_xa
)
SELECT 'row_count:dm_xa', n < 100, n, '', '', n FROM x
UNION ALL SELECT 'missing:dm_xa.ten_xa', missing_ten_xa, n, '', '', '' FROM x
UNION ALL SELECT 'missing:dm_xa.ten_huyen', missing_ten_huyen, n, '', '', '' FROM x
UNION ALL SELECT 'ma_xa_5_chu_so', coalesce(ma_xa_bad, 0), ma_xa_n, '', '', '' FROM x;

SELECT 'duplicate:dm_xa.ma_xa', coalesce(sum(c - 1), 0), coalesce(sum(c), 0), coalesce(sum(c > 1), 0), ''
  FROM (SELECT count(*) AS c FROM dm_xa WHERE ma_xa IS NOT NULL GROUP BY ma_xa);

SELECT 'row_count:dm_tinh', count(*) NOT BETWEEN 63 AND 63, count(*), '', '', count(*) FROM dm_tinh;
SELECT 'pattern:dm_tinh.ma_tinh', coalesce(sum(ma_tinh NOT GLOB '[0-9][0-9][0-9]'), 0), count(ma_tinh), '', ''
  FROM dm_tinh;
