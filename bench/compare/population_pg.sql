-- The built-in checks of rules/demo/population.yaml (table cong_dan) as a database administrator
-- would write them for PostgreSQL, on the province copied by dqa_pgload (schemas population and
-- catalog, every text column of SQLite as text): one aggregate pass over the table for every row
-- check, one GROUP BY for the duplicate key, one anti-join for the communes' coverage, all in one
-- read-only snapshot. bench/compare/compare.py substitutes {today} (YYYY-MM-DD) and runs it with
-- `psql -X -q -A -t -F'|'`; every output line is "check id|violations|rows checked|duplicate
-- groups|unparseable dates", as bench/compare/population.sql prints them for SQLite.
--
-- The rule semantics (docs/checks.md) in PostgreSQL 15, without functions of our own (the session
-- is read-only): whitespace is the Unicode list of "Text helpers" given to btrim, NFC is
-- normalize(..., NFC), and a date is valid when it has the ISO shape (a date, optionally a time,
-- no UTC offset: the province stores local times) and the day exists in its month (computed
-- here: to_date and make_date raise on 2024-02-30 or year 0 instead of saying "not a date").
-- Dates are compared as 'YYYY-MM-DD HH:MM:SS' text, which orders like the instants.
-- NFC is the text itself when the quick check says so (IS NFC NORMALIZED: 5 times faster than
-- normalize, which then runs only on the rare value that needs it).
-- The subqueries with OFFSET 0 are evaluated once per row: without the fence the planner would
-- inline every use of a regular expression or a normalisation and run it again.
BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;
-- Room for the duplicate key's hash table in memory (1.4 million keys at province scale): the
-- default 4 MB would spill it to disk in batches.
SET LOCAL work_mem = '256MB';

WITH p AS (
  SELECT U&'\0009\000A\000B\000C\000D\0020\0085\00A0\1680\2000\2001\2002\2003\2004\2005\2006\2007\2008\2009\200A\2028\2029\202F\205F\3000\200B\FEFF' AS ws,
         E' \t\n\v\f\r' AS ascii_ws,
         '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?$' AS iso,
         to_char(date '{today}' - interval '120 years', 'YYYY-MM-DD') AS birth_min,
         '{today}'::text AS birth_max,
         to_char(timestamp '{today}' - interval '30 days', 'YYYY-MM-DD HH24:MI:SS') AS fresh_after,
         to_char(timestamp '{today}' - interval '5 years', 'YYYY-MM-DD HH24:MI:SS') AS stale_before
),
-- The rows in scope, each value trimmed, normalised or matched once.
r AS (
  SELECT c.so_cccd, c.so_dien_thoai, c.gioi_tinh, c.ma_xa, c.trang_thai,
         c.ngay_sinh IS NOT NULL AS has_birth,
         c.ngay_cap_nhat IS NOT NULL AS has_update,
         c.ho_ten IS NULL OR btrim(c.ho_ten, p.ws) = ''
           OR (CASE WHEN btrim(c.ho_ten, p.ws) IS NFC NORMALIZED THEN btrim(c.ho_ten, p.ws) ELSE normalize(btrim(c.ho_ten, p.ws), NFC) END) IN ('N/A', 'không rõ') AS missing_ho_ten,
         c.ngay_sinh IS NULL OR btrim(c.ngay_sinh, p.ws) = ''
           OR (CASE WHEN btrim(c.ngay_sinh, p.ws) IS NFC NORMALIZED THEN btrim(c.ngay_sinh, p.ws) ELSE normalize(btrim(c.ngay_sinh, p.ws), NFC) END) IN ('N/A', 'không rõ') AS missing_ngay_sinh,
         c.so_dien_thoai IS NULL OR btrim(c.so_dien_thoai, p.ws) = ''
           OR (CASE WHEN btrim(c.so_dien_thoai, p.ws) IS NFC NORMALIZED THEN btrim(c.so_dien_thoai, p.ws) ELSE normalize(btrim(c.so_dien_thoai, p.ws), NFC) END) IN ('N/A', 'không có') AS missing_phone,
         (CASE WHEN c.so_cccd IS NFC NORMALIZED THEN c.so_cccd ELSE normalize(c.so_cccd, NFC) END) !~ '^[0-9]{12}$' AS cccd_bad,
         (CASE WHEN c.so_dien_thoai IS NFC NORMALIZED THEN c.so_dien_thoai ELSE normalize(c.so_dien_thoai, NFC) END) !~ '^0[35789][0-9]{8}$' AS phone_bad,
         (CASE WHEN c.gioi_tinh IS NFC NORMALIZED THEN c.gioi_tinh ELSE normalize(c.gioi_tinh, NFC) END) NOT IN ('Nam', U&'N\1EEF') AS gender_bad,
         c.ma_xa NOT IN (SELECT x.ma_xa FROM catalog.dm_xa x WHERE x.ma_xa IS NOT NULL) AS commune_unknown,
         -- the ISO shape (a yes/no match: capturing the parts runs PostgreSQL's slow
         -- backtracking engine, 100 times slower; substr reads them below)
         CASE WHEN btrim(c.ngay_sinh, p.ascii_ws) ~ p.iso THEN btrim(c.ngay_sinh, p.ascii_ws) END AS b,
         CASE WHEN btrim(c.ngay_cap_nhat, p.ascii_ws) ~ p.iso THEN btrim(c.ngay_cap_nhat, p.ascii_ws) END AS u
    FROM population.cong_dan c, p
   WHERE c.trang_thai <> 'thu_nghiem'
  OFFSET 0
),
-- The dates as 'YYYY-MM-DD HH:MM:SS', NULL when unparseable (not of the shape, no such month, day
-- or time of day: February has 29 days in the Gregorian leap years, the other months
-- 30 + (m + m / 8) % 2). The fraction of a second is dropped: every bound is a whole second.
-- The two columns' expressions are the same on purpose: a read-only session cannot create a
-- function, and unnesting both into one expression per row costs a fifth more time.
d AS (
  SELECT r.*,
         CASE WHEN substr(b, 6, 2)::int BETWEEN 1 AND 12
               AND substr(b, 9, 2)::int BETWEEN 1 AND CASE substr(b, 6, 2)::int
                     WHEN 2 THEN 28 + (left(b, 4)::int % 4 = 0 AND (left(b, 4)::int % 100 <> 0 OR left(b, 4)::int % 400 = 0))::int
                     ELSE 30 + (substr(b, 6, 2)::int + substr(b, 6, 2)::int / 8) % 2 END
               AND coalesce(nullif(substr(b, 12, 2), '')::int, 0) <= 23
               AND coalesce(nullif(substr(b, 15, 2), '')::int, 0) <= 59
               AND coalesce(nullif(substr(b, 18, 2), '')::int, 0) <= 60
              THEN left(b, 10) || ' ' || coalesce(nullif(substr(b, 12, 5), ''), '00:00') || ':'
                   || coalesce(nullif(substr(b, 18, 2), ''), '00') END AS birth,
         CASE WHEN substr(u, 6, 2)::int BETWEEN 1 AND 12
               AND substr(u, 9, 2)::int BETWEEN 1 AND CASE substr(u, 6, 2)::int
                     WHEN 2 THEN 28 + (left(u, 4)::int % 4 = 0 AND (left(u, 4)::int % 100 <> 0 OR left(u, 4)::int % 400 = 0))::int
                     ELSE 30 + (substr(u, 6, 2)::int + substr(u, 6, 2)::int / 8) % 2 END
               AND coalesce(nullif(substr(u, 12, 2), '')::int, 0) <= 23
               AND coalesce(nullif(substr(u, 15, 2), '')::int, 0) <= 59
               AND coalesce(nullif(substr(u, 18, 2), '')::int, 0) <= 60
              THEN left(u, 10) || ' ' || coalesce(nullif(substr(u, 12, 5), ''), '00:00') || ':'
                   || coalesce(nullif(substr(u, 18, 2), ''), '00') END AS updated
    FROM r
  OFFSET 0
),
a AS (
  SELECT count(*) AS n,
         count(*) FILTER (WHERE missing_ho_ten) AS missing_ho_ten,
         count(*) FILTER (WHERE missing_ngay_sinh) AS missing_ngay_sinh,
         count(*) FILTER (WHERE missing_phone) AS missing_phone,
         count(so_cccd) AS cccd_n,
         count(*) FILTER (WHERE cccd_bad) AS cccd_bad,
         count(so_dien_thoai) AS phone_n,
         count(*) FILTER (WHERE phone_bad) AS phone_bad,
         count(gioi_tinh) AS gender_n,
         count(*) FILTER (WHERE gender_bad) AS gender_bad,
         count(*) FILTER (WHERE has_birth) AS birth_n,
         -- range: the calendar date within [today-120y, today]; unparseable dates count
         count(*) FILTER (WHERE has_birth AND (birth IS NULL OR left(birth, 10) < p.birth_min
                                               OR left(birth, 10) > p.birth_max)) AS birth_bad,
         count(*) FILTER (WHERE has_birth AND birth IS NULL) AS birth_unparseable,
         count(*) FILTER (WHERE has_update) AS updated_n,
         max(updated) AS newest_update,
         count(*) FILTER (WHERE has_update AND updated IS NULL) AS updated_unparseable,
         count(*) FILTER (WHERE trang_thai = 'song' AND has_update) AS alive_updated_n,
         count(*) FILTER (WHERE trang_thai = 'song' AND has_update
                            AND (updated IS NULL OR updated < p.stale_before)) AS stale,
         count(*) FILTER (WHERE trang_thai = 'song' AND has_update AND updated IS NULL) AS stale_unparseable,
         count(ma_xa) AS commune_n,
         count(*) FILTER (WHERE commune_unknown) AS commune_unknown,
         min(p.fresh_after) AS fresh_after
    FROM d, p
)
SELECT 'row_count:cong_dan', (n < 5000)::int, n, '', '' FROM a
UNION ALL SELECT 'missing:cong_dan.ho_ten', missing_ho_ten, n, '', '' FROM a
UNION ALL SELECT 'missing:cong_dan.ngay_sinh', missing_ngay_sinh, n, '', '' FROM a
UNION ALL SELECT 'missing:cong_dan.so_dien_thoai', missing_phone, n, '', '' FROM a
UNION ALL SELECT 'cccd_12_chu_so', cccd_bad, cccd_n, '', '' FROM a
UNION ALL SELECT 'so_dien_thoai_hop_le', phone_bad, phone_n, '', '' FROM a
UNION ALL SELECT 'allowed:cong_dan.gioi_tinh', gender_bad, gender_n, '', '' FROM a
UNION ALL SELECT 'range:cong_dan.ngay_sinh', birth_bad, birth_n, '', birth_unparseable::text FROM a
-- metric: an unbounded max of the birth dates, the NULL ratio of phones bounded at 0.1; drift
-- without a history store only records its baseline (nothing compared)
UNION ALL SELECT 'ngay_sinh_moi_nhat', 0, birth_n, '', birth_unparseable::text FROM a
UNION ALL SELECT 'ty_le_null_so_dien_thoai', (n - phone_n > 0.1 * n)::int, n, '', '' FROM a
UNION ALL SELECT 'ngay_sinh_on_dinh', 0, 0, '', '' FROM a
UNION ALL SELECT 'freshness:cong_dan.ngay_cap_nhat', coalesce((newest_update < fresh_after)::int, 1),
                 updated_n, '', updated_unparseable::text FROM a
UNION ALL SELECT 'stale:cong_dan.ngay_cap_nhat', stale, alive_updated_n, '', stale_unparseable::text FROM a
UNION ALL SELECT 'reference:cong_dan.ma_xa', commune_unknown, commune_n, '', '' FROM a;

-- duplicate: keys compared in NFC (the check's default normalize: nfc)
SELECT 'duplicate:cong_dan.so_cccd', coalesce(sum(c - 1), 0), coalesce(sum(c), 0),
       count(*) FILTER (WHERE c > 1), ''
  FROM (SELECT count(*) AS c FROM population.cong_dan
         WHERE trang_thai <> 'thu_nghiem' AND so_cccd IS NOT NULL
         GROUP BY CASE WHEN so_cccd IS NFC NORMALIZED THEN so_cccd ELSE normalize(so_cccd, NFC) END) g;

SELECT 'coverage:cong_dan.ma_xa', count(*) FILTER (WHERE c.ma_xa IS NULL), count(*), '', ''
  FROM (SELECT DISTINCT ma_xa FROM catalog.dm_xa WHERE ma_xa IS NOT NULL) x
  LEFT JOIN (SELECT DISTINCT ma_xa FROM population.cong_dan
              WHERE trang_thai <> 'thu_nghiem' AND ma_xa IS NOT NULL) c ON c.ma_xa = x.ma_xa;

COMMIT;
