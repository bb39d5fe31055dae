// Data and case runners that several check test files share (one test file per check type):
// the hs table of condition, row_count, sql and the scope tests; the value cases of pattern and
// allowed; the date cases of stale and range. Defined once here so that a unity build sees no
// duplicate definitions.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/checks/scan_fixture.h"

namespace dqa::testing {

// hs(id, tiep_nhan, tra_kq, trang_thai): five applications, three returned before they were
// received (2, 4, 5), one not returned (3), one trial row (4).
inline constexpr const char* kConditionSchema = R"sql(
  CREATE TABLE hs(id INTEGER PRIMARY KEY, tiep_nhan, tra_kq, trang_thai);
  INSERT INTO hs VALUES (1, '2026-01-02', '2026-01-05', 'xong'),
                        (2, '2026-01-05', '2026-01-02', 'xong'),
                        (3, '2026-01-05', NULL, 'dang'),
                        (4, '2026-02-01', '2026-01-01', 'thu_nghiem'),
                        (5, '2026-03-01', '2026-02-01', 'dang');
)sql";

inline const std::string kNfd = "Nu\u031B\u0303";  // "Nữ" typed with combining marks
inline const std::string kNfc = "N\u1EEF";         // "Nữ" precomposed

// One check of `type` over a fresh t(id, v) holding `values`.
struct ValueCase {
  const char* name;
  std::string type;
  nlohmann::json params;
  std::vector<Cell> values;
  int64_t rows_checked;
  int64_t violations;
  std::vector<std::string> samples;
};

// Unix seconds of y-m-d plus `seconds`.
inline int64_t Unix(int y, int m, int d, int64_t seconds = 0) {
  return CivilDay(y, m, d) * kSecondsPerDay + seconds;
}

// One date check of `type` over a fresh t(id, v) holding `values`, scanned on `today_day`.
struct DateCase {
  const char* name;
  std::string type;
  nlohmann::json params;
  std::vector<Cell> values;
  int64_t today_day;
  int64_t rows_checked;
  int64_t violations;
  int64_t unparseable;
  std::vector<std::string> samples;
};

inline void RunDateCases(const std::vector<DateCase>& cases) {
  TempDir dir;
  for (const DateCase& c : cases) {
    SCOPED_TRACE(c.name);
    const CheckResult r = ScanOne(dir, MakeCheck(c.type, c.params, {"v"}), c.values, c.today_day);
    EXPECT_EQ(r.rows_checked, c.rows_checked);
    EXPECT_EQ(r.violations, c.violations);
    EXPECT_EQ(r.unparseable, c.unparseable);
    EXPECT_EQ(Flat(r.samples), c.samples);
  }
}

}  // namespace dqa::testing
