-- The built-in checks of rules/demo/population.yaml (table cong_dan) in the simplest correct form a
-- database administrator writes for SQLite: trim() for blanks, GLOB for fixed-width patterns, ISO
-- text comparison for dates, NOT IN lists, one aggregate pass, one GROUP BY for the duplicates, one
-- pass for the communes' coverage, and for each reconcile check one GROUP BY per side matched on the
-- group key. The aggregate pass, the duplicates and the coverage are those of
-- bench/compare/population_simple.sql (the table workload; keep the two in step), here with the
-- values of the metrics and the row count. Part of the whole province's built-in part
-- (docs/benchmarks.md "The whole province, built-in part"): bench/compare/compare.py substitutes
-- {today} (YYYY-MM-DD) and {catalog}, {civil}, {social} (the paths of those databases) and runs it
-- with the sqlite3 shell on population.db, read-only. Every output line is "check id|violations|
-- rows checked|duplicate groups|unparseable values|value" (the last field for the checks that
-- have a value).
--
-- What this form does not see (compare.py names these checks as known differences): trim() strips
-- only the ASCII space, so a value of tabs or Unicode spaces is not blank; 'Nữ' spelt in NFD is not
-- 'Nữ'; a date of the right shape that does not exist (2024-02-30) passes the text comparison and
-- is not unparseable. The `by` breakdowns of rules/demo (per commune, per district) are not
-- computed: the simplest SQL gives the province-wide figures only.
ATTACH '{catalog}' AS catalog;
ATTACH '{civil}' AS civil;
ATTACH '{social}' AS social;

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
    max(CASE WHEN ngay_sinh GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN ngay_sinh END) AS newest_birth,
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
SELECT 'row_count:cong_dan', n < 5000, n, '', '', n FROM a
UNION ALL SELECT 'missing:cong_dan.ho_ten', missing_ho_ten, n, '', '', '' FROM a
UNION ALL SELECT 'missing:cong_dan.ngay_sinh', missing_ngay_sinh, n, '', '', '' FROM a
UNION ALL SELECT 'missing:cong_dan.so_dien_thoai', missing_phone, n, '', '', '' FROM a
UNION ALL SELECT 'cccd_12_chu_so', cccd_bad, cccd_n, '', '', '' FROM a
UNION ALL SELECT 'so_dien_thoai_hop_le', phone_bad, phone_n, '', '', '' FROM a
UNION ALL SELECT 'allowed:cong_dan.gioi_tinh', gender_bad, gender_n, '', '', '' FROM a
UNION ALL SELECT 'range:cong_dan.ngay_sinh', birth_bad, birth_n, '', birth_unparseable, '' FROM a
-- metric max of birth dates, recorded (no bounds): the value is the day number (days since 1970-01-01)
UNION ALL SELECT 'ngay_sinh_moi_nhat', 0, birth_n, '', birth_unparseable, unixepoch(newest_birth) / 86400 FROM a
-- metric null_ratio, at most 0.1
UNION ALL SELECT 'ty_le_null_so_dien_thoai', n - phone_n > 0.1 * n, n, '', '', (n - phone_n) * 1.0 / n FROM a
UNION ALL SELECT 'freshness:cong_dan.ngay_cap_nhat', coalesce(newest_update < datetime('{today}', '-30 days'), 1),
                 updated_n, '', updated_unparseable, '' FROM a
UNION ALL SELECT 'stale:cong_dan.ngay_cap_nhat', stale, alive_updated_n, '', stale_unparseable, '' FROM a
UNION ALL SELECT 'reference:cong_dan.ma_xa', commune_unknown, commune_n, '', '', '' FROM a;

SELECT 'duplicate:cong_dan.so_cccd', coalesce(sum(c - 1), 0), coalesce(sum(c), 0), coalesce(sum(c > 1), 0), ''
  FROM (SELECT count(*) AS c FROM cong_dan
         WHERE trang_thai <> 'thu_nghiem' AND so_cccd IS NOT NULL
         GROUP BY so_cccd);

SELECT 'coverage:cong_dan.ma_xa', count(*), (SELECT count(DISTINCT ma_xa) FROM catalog.dm_xa), '', ''
  FROM catalog.dm_xa
 WHERE ma_xa NOT IN (SELECT ma_xa FROM cong_dan WHERE trang_thai <> 'thu_nghiem' AND ma_xa IS NOT NULL);

-- reconcile: the dead per commune against the death registrations per place of registration,
-- within 1. The groups are the union of both sides' keys (a NULL key is one group); the value is
-- the left total minus the right total.
SELECT 'tu_vong_khop_ho_tich', coalesce(sum(abs(l - r) > 1), 0), count(*), '', '', coalesce(sum(l) - sum(r), 0)
  FROM (SELECT k, sum(l) AS l, sum(r) AS r
          FROM (SELECT ma_xa AS k, count(*) AS l, 0 AS r FROM cong_dan
                 WHERE trang_thai <> 'thu_nghiem' AND trang_thai = 'da_mat' GROUP BY ma_xa
                UNION ALL
                SELECT noi_dang_ky, 0, count(*) FROM civil.khai_tu GROUP BY noi_dang_ky)
         GROUP BY k);

-- reconcile: the living citizens whom an active beneficiary's CCCD names, per commune, against the
-- active beneficiaries per commune, exactly.
SELECT 'huong_tro_cap_khop_dan_cu', coalesce(sum(l <> r), 0), count(*), '', '', coalesce(sum(l) - sum(r), 0)
  FROM (SELECT k, sum(l) AS l, sum(r) AS r
          FROM (SELECT ma_xa AS k, count(*) AS l, 0 AS r FROM cong_dan
                 WHERE trang_thai <> 'thu_nghiem' AND trang_thai = 'song'
                   AND so_cccd IN (SELECT d.so_cccd FROM social.doi_tuong d WHERE d.trang_thai = 'dang_huong')
                 GROUP BY ma_xa
                UNION ALL
                SELECT ma_xa, 0, count(*) FROM social.doi_tuong WHERE trang_thai = 'dang_huong' GROUP BY ma_xa)
         GROUP BY k);
