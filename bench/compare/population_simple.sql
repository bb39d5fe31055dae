-- The built-in checks of rules/demo/population.yaml (table cong_dan) in the simplest correct form a
-- database administrator writes for SQLite: trim() for blanks, GLOB for fixed-width patterns, ISO
-- text comparison for dates, NOT IN lists, one aggregate pass, one GROUP BY for the duplicates, one
-- pass for the communes' coverage. bench/compare/compare.py substitutes {today} (YYYY-MM-DD) and
-- {catalog} (the path of catalog.db) and runs it with the sqlite3 shell (contestant
-- `sqlite3-simple`); every output line is "check id|violations|rows checked|duplicate groups|
-- unparseable dates".
--
-- What this form does not see (docs/benchmarks.md; compare.py names these checks as known
-- differences): trim() strips only the ASCII space, so a value of tabs or Unicode spaces is not
-- blank; 'Nữ' spelt in NFD is not 'Nữ'; a date of the right shape that does not exist (2024-02-30)
-- passes the text comparison and is not unparseable. The drift check (ngay_sinh_on_dinh) compares a
-- column's profile with earlier runs': not a query, so it is skipped here.
ATTACH '{catalog}' AS catalog;

WITH a AS MATERIALIZED (
  SELECT
    count(*) AS n,
    sum(ho_ten IS NULL OR trim(ho_ten) IN ('', 'N/A', 'không rõ')) AS missing_ho_ten,
    sum(ngay_sinh IS NULL OR trim(ngay_sinh) IN ('', 'N/A', 'không rõ')) AS missing_ngay_sinh,
    sum(so_dien_thoai IS NULL OR trim(so_dien_thoai) IN ('', 'N/A', 'không có')) AS missing_phone,
    count(so_cccd) AS cccd_n,
    sum(so_cccd NOT GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]') AS cccd_bad,
    count(so_dien_thoai) AS phone_n,
    sum(so_dien_thoai NOT GLOB '0[35789][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]') AS phone_bad,
    count(gioi_tinh) AS gender_n,
    sum(gioi_tinh NOT IN ('Nam', 'Nữ')) AS gender_bad,
    count(ngay_sinh) AS birth_n,
    sum(ngay_sinh NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
        OR ngay_sinh > '{today}' OR ngay_sinh < date('{today}', '-120 years')) AS birth_bad,
    sum(ngay_sinh NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]') AS birth_unparseable,
    count(ngay_cap_nhat) AS updated_n,
    max(ngay_cap_nhat) AS newest_update,
    sum(ngay_cap_nhat NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]') AS updated_unparseable,
    sum(trang_thai = 'song' AND ngay_cap_nhat IS NOT NULL) AS alive_updated_n,
    sum(trang_thai = 'song'
        AND (ngay_cap_nhat NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'
             OR ngay_cap_nhat < datetime('{today}', '-5 years'))) AS stale,
    sum(trang_thai = 'song'
        AND ngay_cap_nhat NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]') AS stale_unparseable,
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
UNION ALL SELECT 'ngay_sinh_moi_nhat', 0, birth_n, '', birth_unparseable FROM a
UNION ALL SELECT 'ty_le_null_so_dien_thoai', n - phone_n > 0.1 * n, n, '', '' FROM a
UNION ALL SELECT 'freshness:cong_dan.ngay_cap_nhat', coalesce(newest_update < datetime('{today}', '-30 days'), 1),
                 updated_n, '', updated_unparseable FROM a
UNION ALL SELECT 'stale:cong_dan.ngay_cap_nhat', stale, alive_updated_n, '', stale_unparseable FROM a
UNION ALL SELECT 'reference:cong_dan.ma_xa', commune_unknown, commune_n, '', '' FROM a;

SELECT 'duplicate:cong_dan.so_cccd', coalesce(sum(c - 1), 0), coalesce(sum(c), 0), sum(c > 1), ''
  FROM (SELECT count(*) AS c FROM cong_dan
         WHERE trang_thai <> 'thu_nghiem' AND so_cccd IS NOT NULL
         GROUP BY so_cccd);

SELECT 'coverage:cong_dan.ma_xa', count(*), (SELECT count(DISTINCT ma_xa) FROM catalog.dm_xa), '', ''
  FROM catalog.dm_xa
 WHERE ma_xa NOT IN (SELECT ma_xa FROM cong_dan WHERE trang_thai <> 'thu_nghiem' AND ma_xa IS NOT NULL);
