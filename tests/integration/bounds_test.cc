// Runs the real dqaudit on inputs that are too big or are not files: huge values in a source
// (samples and messages truncated at capture, memory bounded), rule and configuration files that
// are FIFOs, devices or over 4 MiB, numbers out of range, YAML that does not parse.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/sources/sqlite_db.h"
#include "tests/integration/support.h"

namespace dqa {
namespace bounds_test {
namespace {

namespace fs = std::filesystem;
using test_support::Quote;
using test_support::ReadFile;
using test_support::Sha256;

struct BoundsRun {
  int code = -1;
  std::string out;
  std::string err;
  long max_rss_kib = 0;  // the largest resident set of the command and its workers
};

class BoundsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(DQA_WORK_DIR) / "bounds" / info->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "rules");
  }

  // Runs `dqaudit <args>` in the test's folder under `timeout 60` (exit 124 if it hangs), in a
  // forked process whose RUSAGE_CHILDREN then holds only this command's peak memory.
  BoundsRun Run(const std::string& args) const {
    const fs::path rss_file = dir_ / "maxrss.txt";
    const std::string command = "cd " + Quote(dir_.string()) + " && NO_COLOR=1 timeout 60 " +
                                Quote(DQA_BINARY) + " " + args + " >stdout.txt 2>stderr.txt";
    BoundsRun r;
    const pid_t pid = fork();
    if (pid == 0) {
      const int status = std::system(command.c_str());
      rusage usage{};
      getrusage(RUSAGE_CHILDREN, &usage);
      if (FILE* f = std::fopen(rss_file.c_str(), "w")) {
        std::fprintf(f, "%ld", usage.ru_maxrss);
        std::fclose(f);
      }
      _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 255);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadFile(dir_ / "stdout.txt");
    r.err = ReadFile(dir_ / "stderr.txt");
    r.max_rss_kib = std::atol(ReadFile(rss_file).c_str());
    return r;
  }

  void Write(const fs::path& relative, const std::string& text) const {
    std::ofstream(dir_ / relative, std::ios::binary) << text;
  }

  fs::path dir_;
};

constexpr int64_t kValueHexBytes = 20 << 20;  // each key and value: 20 MiB of '0', plus a prefix

TEST_F(BoundsTest, HugeValuesAreTruncatedInSamplesAndMemoryStaysBounded) {
  {
    auto db = SqliteDb::OpenReadWrite((dir_ / "rules" / "big.db").string(), true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    // Keys "k1000…", values "v1000…": 20 MiB + 2 bytes each; `d` is equal on every row.
    ASSERT_TRUE((*db)
                    ->Exec(R"sql(
CREATE TABLE big (k TEXT PRIMARY KEY, v TEXT, d TEXT);
WITH n(i) AS (VALUES (1), (2), (3))
INSERT INTO big SELECT 'k' || i || hex(zeroblob(10485760)), 'v' || i || hex(zeroblob(10485760)),
  'same' FROM n;
)sql")
                    .ok());
  }
  Write("rules/big.yaml", R"yaml(source: big
department: "Sở Thử nghiệm"
database: sqlite:big.db
tables:
  big:
    key: [k]
    checks:
      - pattern: {column: v, regex: '^[0-9]{12}$'}
      - allowed: {column: v, values: [a, b]}
      - duplicate: {columns: [d]}
      - sql: {id: big_value, query: "SELECT v FROM big ORDER BY k LIMIT 1", min: 0}
)yaml");
  const std::string source_sha = Sha256(dir_ / "rules" / "big.db");
  BoundsRun r = Run("scan rules --json out.json --history audit.db --today 2026-11-01");
  EXPECT_EQ(r.code, 3) << r.err;  // failures, and the sql check ends in error
  EXPECT_EQ(Sha256(dir_ / "rules" / "big.db"), source_sha);

  // Outputs hold 256 bytes of each value, not 20 MiB.
  EXPECT_LT(fs::file_size(dir_ / "out.json"), 1u << 20);
  EXPECT_LT(fs::file_size(dir_ / "audit.db"), 1u << 20);
  const std::string marker = "…(" + std::to_string(kValueHexBytes + 2) + " bytes)";
  const nlohmann::json j = nlohmann::json::parse(ReadFile(dir_ / "out.json"));
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& c : j.at("results")) by_id[c.at("id").get<std::string>()] = c;
  for (const char* id : {"pattern:big.v", "allowed:big.v"}) {
    SCOPED_TRACE(id);
    ASSERT_EQ(by_id.count(id), 1u);
    const nlohmann::json& c = by_id[id];
    EXPECT_EQ(c.at("violations"), 3);
    EXPECT_EQ(c.at("rows_checked"), 3);
    ASSERT_EQ(c.at("samples").size(), 3u);
    for (int i = 0; i < 3; ++i) {
      const std::string key = c.at("samples")[static_cast<size_t>(i)].at("k").get<std::string>();
      EXPECT_EQ(key, "k" + std::to_string(i + 1) + std::string(254, '0') + marker);
    }
  }
  const nlohmann::json& dup = by_id["duplicate:big.d"];
  EXPECT_EQ(dup.at("violations"), 2);
  ASSERT_EQ(dup.at("samples").size(), 3u);
  EXPECT_EQ(dup.at("samples")[0].at("k").get<std::string>(), "k1" + std::string(254, '0') + marker);
  const nlohmann::json& sql = by_id["big_value"];
  EXPECT_EQ(sql.at("outcome"), "error");
  EXPECT_EQ(sql.at("message").get<std::string>(),
            "the query returned 'v1" + std::string(254, '0') + marker + "', which is not a number");

  // Measured: about 80 MiB with truncation (SQLite reading 40 MiB rows). Without it the samples
  // held three 20 MiB keys per check, copied again into the worker's result stream, the JSON and
  // the history: the run passed 390 MiB and did not finish within the 60 s timeout.
  EXPECT_GT(r.max_rss_kib, 0);
  EXPECT_LT(r.max_rss_kib, 200 * 1024) << "peak RSS " << r.max_rss_kib << " KiB";
}

TEST_F(BoundsTest, InputsThatAreNotFilesExitTwoWithoutHanging) {
  ASSERT_EQ(mkfifo((dir_ / "rules" / "fifo.yaml").c_str(), 0600), 0);
  Write("big.yaml", "source: x\n#" + std::string(5 << 20, 'x') + "\n");
  struct Case {
    std::string args;
    std::string err;
  };
  const Case cases[] = {
      {"rules check /dev/zero", "/dev/zero: not a regular file (a character device)\n"},
      {"rules check rules/fifo.yaml", "rules/fifo.yaml: not a regular file (a FIFO)\n"},
      {"scan rules/fifo.yaml --no-history", "rules/fifo.yaml: not a regular file (a FIFO)\n"},
      {"rules check big.yaml",
       "big.yaml: 5242892 bytes, over the limit of 4 MiB for this file\n"},
      {"nightly --config rules/fifo.yaml",
       "dqaudit nightly: rules/fifo.yaml: not a regular file (a FIFO)\n"},
      {"nightly --config /dev/zero",
       "dqaudit nightly: /dev/zero: not a regular file (a character device)\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args);
    BoundsRun r = Run(c.args);
    EXPECT_EQ(r.code, 2) << r.err;  // 124 would be the timeout: the FIFO blocked
    EXPECT_EQ(r.err, c.err);
  }
}

TEST_F(BoundsTest, BadNumbersAndBadYamlExitTwoWithOneMessage) {
  Write("rules/a.yaml", "source: a\ndepartment: \"CA\ndatabase: sqlite:a.db\ntables:\n"
                        "  t:\n    checks: [duplicate]\n");
  Write("rules/b.yaml", "source: b\ndepartment: CA\ndatabase: sqlite:b.db\ntables:\n  t:\n"
                        "    checks:\n      - stale: {column: d, older_than: 99999999999y}\n");
  Write("nightly.yaml", "rules: rules\nkeep: 999999999999999d\n");
  BoundsRun rules = Run("rules check rules/a.yaml rules/b.yaml");
  EXPECT_EQ(rules.code, 2);
  EXPECT_EQ(rules.err,
            "rules/a.yaml:2:13: YAML syntax error: unclosed quote: the string that starts here "
            "has no closing \"\n"
            "rules/b.yaml:7:40: 'older_than': '99999999999y' is longer than the maximum of 1000 "
            "years (1000y, 12000m, 52178w, 365250d, 8766000h)\n");
  BoundsRun nightly = Run("nightly --config nightly.yaml");
  EXPECT_EQ(nightly.code, 2);
  EXPECT_EQ(nightly.err,
            "dqaudit nightly: nightly.yaml:2:7: keep: '999999999999999d' is longer than the "
            "maximum of 1000 years (1000y, 12000m, 52178w, 365250d, 8766000h)\n");
}

}  // namespace
}  // namespace bounds_test
}  // namespace dqa
