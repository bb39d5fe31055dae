-- The built-in checks of rules/demo/population.yaml (table cong_dan) as a database administrator
-- would write them for SQLite: one aggregate pass over the table for every row check (a
-- MATERIALIZED common table expression), one GROUP BY for the duplicate key, one pass for the
-- communes' coverage. bench/compare/compare.py substitutes {today} (YYYY-MM-DD) and {catalog}
-- (the path of catalog.db) and runs it with the sqlite3 shell; every output line is
-- "check id|violations|rows checked|duplicate groups|unparseable dates".
--
-- Where plain SQL falls short of the rule semantics (docs/checks.md), it is written for what this
-- database holds: ISO dates without time zones, NFC text except the NFD "Nữ" the generator plants
-- (listed by hand below), and whitespace trimmed with an explicit list of the Unicode spaces.
ATTACH '{catalog}' AS catalog;

WITH a AS MATERIALIZED (
  SELECT
    count(*) AS n,
    sum(ho_ten IS NULL OR trim(ho_ten, char(9,10,11,12,13,32,133,160,5760,8192,8193,8194,8195,8196,8197,8198,8199,8200,8201,8202,8232,8233,8239,8287,12288,8203,65279)) = ''
        OR trim(ho_ten, char(9,10,11,12,13,32,133,160,5760,8192,8193,8194,8195,8196,8197,8198,8199,8200,8201,8202,8232,8233,8239,8287,12288,8203,65279)) IN ('N/A', 'không rõ')) AS missing_ho_ten,
    sum(ngay_sinh IS NULL OR trim(ngay_sinh, char(9,10,11,12,13,32,133,160,5760,8192,8193,8194,8195,8196,8197,8198,8199,8200,8201,8202,8232,8233,8239,8287,12288,8203,65279)) = ''
        OR trim(ngay_sinh, char(9,10,11,12,13,32,133,160,5760,8192,8193,8194,8195,8196,8197,8198,8199,8200,8201,8202,8232,8233,8239,8287,12288,8203,65279)) IN ('N/A', 'không rõ')) AS missing_ngay_sinh,
    sum(so_dien_thoai IS NULL OR trim(so_dien_thoai, char(9,10,11,12,13,32,133,160,5760,8192,8193,8194,8195,8196,8197,8198,8199,8200,8201,8202,8232,8233,8239,8287,12288,8203,65279)) = ''
        OR trim(so_dien_thoai, char(9,10,11,12,13,32,133,160,5760,8192,8193,8194,8195,8196,8197,8198,8199,8200,8201,8202,8232,8233,8239,8287,12288,8203,65279)) IN ('N/A', 'không có')) AS missing_phone,
    count(so_cccd) AS cccd_n,
    sum(NOT (so_cccd GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')) AS cccd_bad,
    count(so_dien_thoai) AS phone_n,
    sum(NOT (so_dien_thoai GLOB '0[35789][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')) AS phone_bad,
    count(gioi_tinh) AS gender_n,
    sum(gioi_tinh NOT IN ('Nam', 'Nữ', 'Nu' || char(795, 771))) AS gender_bad,
    count(ngay_sinh) AS birth_n,
    -- a real ISO date: the unixepoch round trip rejects 2024-02-30, which date() lets through
    -- (NULL is not looked at: CASE gives NULL, which sum() skips)
    sum(CASE WHEN ngay_sinh IS NOT NULL THEN
          NOT coalesce(ngay_sinh GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
                       AND date(unixepoch(ngay_sinh), 'unixepoch') = ngay_sinh, 0)
          OR ngay_sinh > '{today}' OR ngay_sinh < date('{today}', '-120 years') END) AS birth_bad,
    sum(CASE WHEN ngay_sinh IS NOT NULL THEN
          NOT coalesce(ngay_sinh GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
                       AND date(unixepoch(ngay_sinh), 'unixepoch') = ngay_sinh, 0) END) AS birth_unparseable,
    count(ngay_cap_nhat) AS updated_n,
    max(CASE WHEN coalesce(ngay_cap_nhat GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'
                           AND datetime(unixepoch(ngay_cap_nhat), 'unixepoch') = ngay_cap_nhat, 0)
             THEN ngay_cap_nhat END) AS newest_update,
    sum(CASE WHEN ngay_cap_nhat IS NOT NULL THEN
          NOT coalesce(ngay_cap_nhat GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'
                       AND datetime(unixepoch(ngay_cap_nhat), 'unixepoch') = ngay_cap_nhat, 0) END) AS updated_unparseable,
    sum(trang_thai = 'song' AND ngay_cap_nhat IS NOT NULL) AS alive_updated_n,
    sum(CASE WHEN trang_thai = 'song' AND ngay_cap_nhat IS NOT NULL THEN
          NOT coalesce(ngay_cap_nhat GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'
                       AND datetime(unixepoch(ngay_cap_nhat), 'unixepoch') = ngay_cap_nhat, 0)
          OR ngay_cap_nhat < datetime('{today}', '-5 years') END) AS stale,
    sum(CASE WHEN trang_thai = 'song' AND ngay_cap_nhat IS NOT NULL THEN
          NOT coalesce(ngay_cap_nhat GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'
                       AND datetime(unixepoch(ngay_cap_nhat), 'unixepoch') = ngay_cap_nhat, 0) END) AS stale_unparseable,
    count(ma_xa) AS commune_n,
    sum(ma_xa NOT IN (SELECT ma_xa FROM catalog.dm_xa WHERE ma_xa IS NOT NULL)) AS commune_unknown
  FROM cong_dan
  WHERE trang_thai <> 'thu_nghiem'
)
SELECT 'row_count:cong_dan', n < 5000, n, '', '' FROM a
UNION ALL SELECT 'missing:cong_dan.ho_ten', missing_ho_ten, n, '', '' FROM a
UNION ALL SELECT 'missing:cong_dan.ngay_sinh', missing_ngay_sinh, n, '', '' FROM a
UNION ALL SELECT 'missing:cong_dan.so_dien_thoai', missing_phone, n, '', '' FROM a
UNION ALL SELECT 'cccd_12_chu_so', cccd_bad, cccd_n, '', '' FROM a
UNION ALL SELECT 'so_dien_thoai_hop_le', phone_bad, phone_n, '', '' FROM a
UNION ALL SELECT 'allowed:cong_dan.gioi_tinh', gender_bad, gender_n, '', '' FROM a
UNION ALL SELECT 'range:cong_dan.ngay_sinh', birth_bad, birth_n, '', birth_unparseable FROM a
-- metric: an unbounded max of the birth dates, the NULL ratio of phones bounded at 0.1; drift
-- without a history store only records its baseline (nothing compared)
UNION ALL SELECT 'ngay_sinh_moi_nhat', 0, birth_n, '', birth_unparseable FROM a
UNION ALL SELECT 'ty_le_null_so_dien_thoai', n - phone_n > 0.1 * n, n, '', '' FROM a
UNION ALL SELECT 'ngay_sinh_on_dinh', 0, 0, '', '' FROM a
UNION ALL SELECT 'freshness:cong_dan.ngay_cap_nhat',
                 coalesce(newest_update < datetime('{today}', '-30 days'), 1), updated_n, '',
                 updated_unparseable FROM a
UNION ALL SELECT 'stale:cong_dan.ngay_cap_nhat', stale, alive_updated_n, '', stale_unparseable FROM a
UNION ALL SELECT 'reference:cong_dan.ma_xa', commune_unknown, commune_n, '', '' FROM a;

SELECT 'duplicate:cong_dan.so_cccd', coalesce(sum(CASE WHEN c > 1 THEN c - 1 END), 0),
       coalesce(sum(c), 0), sum(c > 1), ''
  FROM (SELECT count(*) AS c FROM cong_dan
         WHERE trang_thai <> 'thu_nghiem' AND so_cccd IS NOT NULL
         GROUP BY so_cccd);

SELECT 'coverage:cong_dan.ma_xa', count(*), (SELECT count(DISTINCT ma_xa) FROM catalog.dm_xa), '', ''
  FROM (SELECT DISTINCT ma_xa FROM catalog.dm_xa WHERE ma_xa IS NOT NULL)
 WHERE ma_xa NOT IN (SELECT ma_xa FROM cong_dan WHERE trang_thai <> 'thu_nghiem' AND ma_xa IS NOT NULL);
