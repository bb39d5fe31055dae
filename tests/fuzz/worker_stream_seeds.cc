// Writes the seed corpus of worker_stream_fuzz: the frames a real worker writes (EncodeFrame of
// DumpPayload of each message kind, as core/worker/worker.cc does), alone and as whole streams.
//   build-fuzz/fuzz/worker_stream_seeds tests/fuzz/corpus/worker_stream
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>

#include "core/worker/messages.h"
#include "core/worker/protocol.h"

namespace {

namespace w = dqa::worker;

// Frames of one stream are numbered from 0, as a worker numbers them.
std::string Frame(w::MessageType type, const nlohmann::json& payload, uint32_t sequence = 0) {
  return w::EncodeFrame(type, w::DumpPayload(payload), sequence);
}

dqa::CheckResult Result(std::string id, dqa::Outcome outcome) {
  dqa::CheckResult r;
  r.id = std::move(id);
  r.type = "missing";
  r.source = "dan_cu";
  r.table = "cong_dan";
  r.columns = {"ho_ten"};
  r.dimension = dqa::Dimension::kCompleteness;
  r.outcome = outcome;
  r.violations = 3;
  r.rows_checked = 1200;
  r.percent = 0.25;
  r.thresholds.fail.max_count = 0;
  r.thresholds.warn.max_percent = 1.5;
  r.key_columns = {"so_cccd"};
  r.samples = {{"001090012345"}, {"079205001234"}};
  r.message = "3 giá trị trống (0,25%)";
  r.duration_ms = 1.5;
  return r;
}

dqa::SourcePlan Plan() {
  dqa::SourcePlan p;
  p.source.id = "dan_cu";
  p.source.department = "Công an tỉnh";
  p.source.sector = "population";
  p.source.database = "sqlite:data/dan_cu.db";
  p.source.db_path = "/srv/data/dan_cu.db";
  p.source.utc_offset_minutes = 420;
  p.source.rule_file = "/srv/rules/population.yaml";
  dqa::TableSpec t;
  t.name = "cong_dan";
  t.key = {"so_cccd"};
  t.filter = "trang_thai <> 'xoa'";
  dqa::CheckSpec missing;
  missing.id = "missing:cong_dan.ho_ten";
  missing.type = "missing";
  missing.table = "cong_dan";
  missing.columns = {"ho_ten"};
  missing.params = {{"columns", {"ho_ten"}}, {"missing_values", {"N/A", "-"}}, {"blank_is_missing", true}};
  dqa::CheckSpec range = missing;
  range.id = "range:cong_dan.ngay_sinh";
  range.type = "range";
  range.columns = {"ngay_sinh"};
  range.params = {{"column", "ngay_sinh"}, {"min", "today-120y"}, {"max", "today"}, {"date_format", "dmy"}};
  dqa::CheckSpec plugin = missing;
  plugin.id = "population.cccd:cong_dan.so_cccd";
  plugin.type = "population.cccd";
  plugin.params = {{"column", "so_cccd"}};
  t.checks = {missing, range, plugin};
  p.source.tables = {t};
  p.now_unix = 1767225600;
  p.today_day = 20454;
  p.plugin_files = {"/usr/lib/dqaudit/plugins/population.so"};
  p.plugin_sectors = {"population"};
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: worker_stream_seeds FOLDER\n");
    return 2;
  }
  const std::string dir = argv[1];
  const auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
  };
  const std::string hello = Frame(w::MessageType::kHello, w::EncodeHello({3, 4242, "0.1.0"}), 0);
  const std::string log = Frame(w::MessageType::kLog,
                                w::EncodeLog({"warning", "cong_dan: 2 dòng không đọc được"}), 1);
  dqa::CheckResult nan_value = Result("sql:cong_dan", dqa::Outcome::kError);
  nan_value.value = std::numeric_limits<double>::quiet_NaN();
  nan_value.groups = 7;
  nan_value.metrics = {{"ty_le", 0.5}, {"inf", std::numeric_limits<double>::infinity()}};
  const std::string results =
      Frame(w::MessageType::kResult,
            w::EncodeCheckResult(Result("missing:cong_dan.ho_ten", dqa::Outcome::kFail)), 2) +
      Frame(w::MessageType::kResult, w::EncodeCheckResult(nan_value), 3);
  dqa::SourceResult header;
  header.source = "dan_cu";
  header.department = "Công an tỉnh";
  header.database = "sqlite:data/dan_cu.db";
  header.started_unix_ms = 1767225600000;
  header.finished_unix_ms = 1767225601500;
  const std::string done = Frame(w::MessageType::kSourceDone, w::EncodeSourceHeader(header), 4);
  const std::string plan = Frame(w::MessageType::kPlan, w::EncodePlan(Plan()));

  write("hello", hello);
  write("log", log);
  write("results", results);
  write("source_done", done);
  write("plan", plan);
  write("stream", hello + log + results + done);
  write("stream_truncated", (hello + log + results).substr(0, hello.size() + log.size() + 40));
  write("stream_garbage_after_result", hello + log + results + "Segmentation fault\n");
  write("empty_payload", w::EncodeFrame(w::MessageType::kLog, ""));
  return 0;
}
