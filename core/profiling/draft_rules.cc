#include "core/profiling/draft_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <cmath>
#include <optional>

#include "core/checks/schema_contract.h"
#include "core/profiling/preview.h"
#include "core/profiling/shape.h"
#include "core/sources/pg_db.h"
#include "core/util/dates.h"
#include "core/util/text.h"
#include "dqaudit/text.h"

namespace dqa::profiling {
namespace {

using sdk::ToLowerAscii;

// Double-quoted YAML scalar.
std::string YamlString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (b < 0x20 || b == 0x7F) {
      out += fmt::format("\\x{:02X}", b);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// A table or column name: plain when it is a simple identifier YAML reads as a string.
std::string YamlName(std::string_view name) {
  static const char* const kReserved[] = {"true", "false", "null", "yes", "no",
                                          "on",   "off",   "y",    "n",   "~"};
  bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
  for (char c : name) {
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  }
  for (const char* r : kReserved) plain = plain && ToLowerAscii(name) != r;
  return plain ? std::string(name) : YamlString(name);
}

// Single-quoted YAML scalar (backslashes stay as they are: regexes).
std::string YamlSingleQuoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A value for a comment: one line, at most 40 code points.
std::string CommentValue(std::string_view s) { return QuotedPreview(s, PreviewStyle::kComment); }

std::string Number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<int64_t>(v));
  return fmt::format("{}", v);
}

std::string Percent(double p) { return fmt::format("{:.2f}%", p); }

double Share(int64_t part, int64_t whole) { return ColumnProfile::Percent(part, whole); }

std::string Threshold(double percent) {
  const double t = SuggestedMaxPercent(percent);
  return t == 0 ? "" : fmt::format(", max_percent: {}", Number(t));
}

// 1-2-5 steps: the smallest "nice" number >= v (v > 0).
double NiceCeil(double v) {
  if (v <= 0) return 0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(v)));
  for (double step : {1.0, 2.0, 5.0, 10.0}) {
    if (step * magnitude >= v) return step * magnitude;
  }
  return 10 * magnitude;
}

bool IsKeyLikeName(const std::string& lower) {
  return lower == "id" || lower == "code" || lower.starts_with("so_") || lower.starts_with("ma_") ||
         lower.starts_with("id_") || lower.ends_with("_id") || lower.ends_with("_code");
}

bool IsUpdateTimeName(const std::string& lower) {
  for (const char* hint :
       {"cap_nhat", "capnhat", "updated", "modified", "last_update", "update_time", "ngay_sua"}) {
    if (lower.find(hint) != std::string::npos) return true;
  }
  return false;
}

bool IsBirthName(const std::string& lower) {
  return lower.find("ngay_sinh") != std::string::npos || lower.find("birth") != std::string::npos ||
         lower == "dob";
}

bool TextDominant(const ColumnProfile& c) {
  return c.non_null() > 0 && c.types.text * 10 >= c.non_null() * 9;
}

bool DateLike(const ColumnProfile& c) {
  return c.non_null() > 0 && c.dates.parsed() * 10 >= c.non_null() * 9;
}

bool UsesDmy(const ColumnProfile& c) { return c.dates.dmy > c.dates.iso; }

// Non-blank values of an exact or approximate top list, and how many rows they cover.
struct Candidates {
  std::vector<std::string> values;
  int64_t covered = 0;
  bool complete = false;  // these are all the non-blank values
};

std::optional<Candidates> AllowedCandidates(const ColumnProfile& c) {
  if (!TextDominant(c) || DateLike(c) || c.non_null() < 20) return std::nullopt;
  // The fewest most frequent values that cover 99% of the non-NULL values: rarer values (typos,
  // test records) are left out and tolerated by the threshold instead of being allowed.
  Candidates out;
  size_t non_blank = 0;
  for (const HeavyHitter& v : c.top_values) {
    if (IsBlank(v.value)) continue;
    ++non_blank;
    if (out.values.size() == 20 || !IsValidUtf8(v.value)) continue;
    if (out.covered * 100 >= c.non_null() * 99) continue;
    out.values.push_back(v.value);
    out.covered += v.count - v.error;
  }
  if (out.values.empty() || out.values.size() * 2 > static_cast<size_t>(c.non_null())) {
    return std::nullopt;
  }
  out.complete = c.top_values_exact && non_blank == out.values.size();
  if (out.covered * 100 < c.non_null() * 99) return std::nullopt;
  return out;
}

class Writer {
 public:
  explicit Writer(const DatabaseProfile& profile) : profile_(profile) {
    today_day_ = profile.settings.today_day;
  }
  std::string out;

  void Table(const TableProfile& t) {
    out += fmt::format("\n  {}:\n", YamlName(t.name));
    WriteKey(t);
    WriteSchema(t);
    out += "    checks:\n";
    WriteRowCount(t);
    WriteMissing(t);
    for (const ColumnProfile& c : t.columns) WriteColumnChecks(c);
    WriteFreshness(t);
  }

 private:
  void Line(const std::string& comment, const std::string& check) {
    out += "      # " + comment + "\n      - " + check + "\n";
  }

  // The table's contract: every column with the narrowest contract type its declared type
  // satisfies, or date for a text column whose values read as dates.
  void WriteSchema(const TableProfile& t) {
    out += "    # the schema contract: each column and its type (docs/checks.md \"Schema\")\n";
    out += "    schema:\n      allow_extra: true\n      columns:\n";
    for (const ColumnProfile& c : t.columns) {
      std::string type = ContractTypeFor(c.declared_type);
      if (type == "text" && DateLike(c)) type = "date";
      out += fmt::format("        {}: {}   # declared {}\n", YamlName(c.name), type,
                         c.declared_type.empty() ? "without a type" : c.declared_type);
    }
  }

  void WriteKey(const TableProfile& t) {
    std::vector<std::string> pk;
    for (const ColumnProfile& c : t.columns) {
      if (c.primary_key) pk.push_back(YamlName(c.name));
    }
    if (!pk.empty()) {
      out += fmt::format("    key: [{}]   # the primary key\n", fmt::join(pk, ", "));
      return;
    }
    for (const ColumnProfile& c : t.columns) {
      if (IsKeyLikeName(ToLowerAscii(c.name)) && c.rows > 0 && c.types.null == 0 && c.distinct_exact &&
          c.distinct == c.rows) {
        out += fmt::format("    key: [{}]   # no primary key; {} is unique and never NULL\n",
                           YamlName(c.name), c.name);
        return;
      }
    }
    out += "    # key: no primary key and no unique key-like column: samples show the rowid\n";
  }

  void WriteRowCount(const TableProfile& t) {
    if (t.rows == 0) {
      Line("the table is empty today: this check fails until rows arrive", "row_count: {min: 1}");
      return;
    }
    const auto min = static_cast<int64_t>(std::floor(static_cast<double>(t.rows) * 0.9));
    Line(fmt::format("{} rows today; min = 90% of that, so losing rows is noticed", t.rows),
         fmt::format("row_count: {{min: {}}}", std::max<int64_t>(min, 1)));
  }

  void WriteMissing(const TableProfile& t) {
    if (t.rows == 0) return;
    std::vector<std::string> complete;
    std::vector<std::string> skipped;
    for (const ColumnProfile& c : t.columns) {
      if (c.primary_key) continue;
      const int64_t missing = c.types.null + c.blank;
      const double share = Share(missing, c.rows);
      if (missing == 0) {
        complete.push_back(YamlName(c.name));
      } else if (share <= 20) {
        Line(fmt::format("{}: {} missing ({} NULL, {} blank) of {} rows = {}", c.name, missing,
                         c.types.null, c.blank, c.rows, Percent(share)),
             fmt::format("missing: {{columns: [{}]{}}}", YamlName(c.name), Threshold(share)));
      } else {
        skipped.push_back(fmt::format("{} ({})", c.name, Percent(share)));
      }
    }
    if (!complete.empty()) {
      Line("no NULL or blank value today in these columns: any missing value fails",
           fmt::format("missing: {{columns: [{}]}}", fmt::join(complete, ", ")));
    }
    if (!skipped.empty()) {
      out += fmt::format("      # no missing check for columns missing over 20% (optional?): {}\n",
                         fmt::join(skipped, ", "));
    }
  }

  void WriteColumnChecks(const ColumnProfile& c) {
    const std::string lower = ToLowerAscii(c.name);
    const int64_t n = c.non_null();
    if (n == 0) return;
    const std::string col = YamlName(c.name);
    // duplicate
    const double unique_ratio = static_cast<double>(c.distinct) / static_cast<double>(n);
    if (!c.primary_key && IsKeyLikeName(lower) && n >= 10 && !DateLike(c) && c.types.real == 0 &&
        unique_ratio >= (c.distinct_exact ? 0.99 : 0.97)) {
      const int64_t dups = std::max<int64_t>(0, n - c.distinct);
      Line(fmt::format("{}: {}{} distinct values in {} non-NULL = {} unique: looks like a key{}",
                       c.name, c.distinct_exact ? "" : "about ", c.distinct, n,
                       Percent(std::min(100.0, 100 * unique_ratio)),
                       c.distinct_exact ? ""
                                        : " (a HyperLogLog estimate, about +-2.4%: a scan "
                                          "counts the duplicates exactly; set the threshold "
                                          "from it)"),
           fmt::format("duplicate: {{columns: [{}]{}}}", col, Threshold(Share(dups, n))));
    }
    // allowed, else pattern
    if (auto allowed = AllowedCandidates(c)) {
      std::vector<std::string> values;
      for (const std::string& v : allowed->values) values.push_back(YamlString(v));
      const int64_t rest = n - allowed->covered;
      Line(fmt::format("{}: {} {} values cover {} of {} non-NULL values", c.name,
                       allowed->complete ? "all" : "the most frequent", allowed->values.size(),
                       Percent(Share(allowed->covered, n)), n),
           fmt::format("allowed: {{column: {}, values: [{}]{}}}", col, fmt::join(values, ", "),
                       Threshold(Share(rest, n))));
    } else if (TextDominant(c) && !DateLike(c) && !c.patterns.empty()) {
      const HeavyHitter& top = c.patterns.front();
      const std::string regex = ShapeRegexFor(top.value);
      const int64_t matching = top.count - top.error;
      if (!regex.empty() && matching * 100 >= n * 95) {
        Line(fmt::format("{}: {} of {} non-NULL values have the shape {}", c.name,
                         Percent(Share(matching, n)), n, CommentValue(top.value)),
             fmt::format("pattern: {{column: {}, regex: {}{}}}", col, YamlSingleQuoted(regex),
                         Threshold(Share(n - matching, n))));
      }
    }
    // numeric range
    const int64_t numbers = c.types.integer + c.types.real;
    if (!c.primary_key && !IsKeyLikeName(lower) && numbers * 100 >= n * 99 && !DateLike(c) &&
        c.numeric_min && c.numeric_max) {
      const double min = *c.numeric_min >= 0 ? 0.0 : -NiceCeil(-*c.numeric_min);
      const double max = *c.numeric_max >= 0 ? NiceCeil(*c.numeric_max) : 0.0;
      Line(fmt::format("{}: numbers from {} to {}", c.name, Number(*c.numeric_min),
                       Number(*c.numeric_max)),
           fmt::format("range: {{column: {}, min: {}, max: {}{}}}", col, Number(min), Number(max),
                       Threshold(Share(n - numbers, n))));
    }
    if (DateLike(c)) WriteDateRange(c, lower);
  }

  void WriteDateRange(const ColumnProfile& c, const std::string& lower) {
    const int64_t n = c.non_null();
    const bool dmy = UsesDmy(c);
    const int64_t unparseable = n - (dmy ? c.dates.dmy : c.dates.iso) - c.types.integer;
    const bool birth = IsBirthName(lower);
    int64_t violations = unparseable;
    std::string min;
    if (birth) {
      min = "today-120y";
      violations += c.dates.over_120y;
    } else {
      const int64_t days = today_day_ - c.dates.min_day.value_or(today_day_);
      min = fmt::format("today-{}y", std::max<int64_t>(1, days / 365 + 1));
    }
    std::string max;
    if (c.dates.future * 100 <= n) {
      max = "today";
      violations += c.dates.future;
    } else {
      max = fmt::format("today+{}d", c.dates.max_day.value_or(today_day_) - today_day_ + 1);
    }
    Line(fmt::format("{}: {} of {} non-NULL values are dates ({} ISO, {} DD/MM/YYYY, {} Unix "
                     "seconds) from {} to {}; {} after today ({}){}",
                     c.name, Percent(Share(c.dates.parsed(), n)), n, c.dates.iso, c.dates.dmy,
                     c.dates.unix_seconds, FormatDay(c.dates.min_day.value_or(0)),
                     FormatDay(c.dates.max_day.value_or(0)), c.dates.future, profile_.today,
                     birth ? fmt::format(", {} over 120 years ago", c.dates.over_120y) : ""),
         fmt::format("range: {{column: {}, min: {}, max: {}{}{}}}", YamlName(c.name), min, max,
                     dmy ? ", date_format: dmy" : "", Threshold(Share(violations, n))));
  }

  void WriteFreshness(const TableProfile& t) {
    const ColumnProfile* chosen = nullptr;
    std::string why;
    for (const ColumnProfile& c : t.columns) {
      if (DateLike(c) && IsUpdateTimeName(ToLowerAscii(c.name)) && c.dates.max_day) {
        chosen = &c;
        why = "is named like an update time";
        break;
      }
    }
    if (chosen == nullptr) {
      for (const ColumnProfile& c : t.columns) {
        if (!DateLike(c) || !c.dates.max_day || *c.dates.max_day > today_day_ ||
            *c.dates.max_day < today_day_ - 7) {
          continue;
        }
        if (chosen == nullptr || *c.dates.max_day > *chosen->dates.max_day) chosen = &c;
        why = "has dates up to the last week";
      }
    }
    if (chosen == nullptr) return;
    const int64_t age = today_day_ - *chosen->dates.max_day;
    Line(fmt::format("{} {}; the newest is {} ({} day(s) before {}){}", chosen->name, why,
                     FormatDay(*chosen->dates.max_day), age, profile_.today,
                     age > 30 ? ": this check fails until the table is updated" : ""),
         fmt::format("freshness: {{column: {}, max_age: 30d{}}}", YamlName(chosen->name),
                     UsesDmy(*chosen) ? ", date_format: dmy" : ""));
  }

  static std::string ShapeRegexFor(const std::string& shape) {
    if (shape.empty() || IsBlank(shape)) return "";
    return ShapeRegex(shape);
  }

  const DatabaseProfile& profile_;
  int64_t today_day_ = 0;
};

}  // namespace

double SuggestedMaxPercent(double percent) {
  if (percent <= 0) return 0;
  const double t = percent * 1.5 + 0.1;
  const double step = t < 1 ? 0.1 : t < 5 ? 0.5 : t < 20 ? 1 : 5;
  // Round in tenths first so 0.30000000000000004 does not become 0.4.
  const double steps = std::ceil(std::round(t / step * 1e6) / 1e6);
  return std::min(100.0, std::round(steps * step * 10) / 10);
}

std::string DraftRules(const DatabaseProfile& profile, const DraftOptions& options) {
  Writer w(profile);
  std::string& out = w.out;
  out += fmt::format(
      "# Draft rule file written by `dqaudit profile` from {} on {}.\n"
      "# Every check below is a SUGGESTION from the data as it is today: review each one, edit\n"
      "# the thresholds, delete what does not apply, and fill in the TODO lines. Test it with\n"
      "# `dqaudit rules check <this file>`; docs/rules.md describes every key.\n",
      CommentValue(profile.database), profile.today);
  out += fmt::format("source: {}   # TODO: a unique id for this source (letters, digits, _ -)\n",
                     options.source_id);
  out += "department: \"TODO: tên đơn vị\"   # TODO: the department that owns the data\n";
  const bool postgres = !options.connection.empty();
  if (options.password_left_out) {
    out += "# The password of the URI that was profiled is not written here (a rule file is shared):\n"
           "# give it with PGPASSWORD, ~/.pgpass or a service file, which libpq reads, or as\n"
           "# ${VAR} after the user name (docs/rules.md \"Environment variables and secrets\").\n";
  }
  const std::string db = postgres ? options.connection : "sqlite:" + options.database_ref;
  const bool plain = std::all_of(db.begin(), db.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '/' ||
           c == '-' || c == ':';
  });
  out += fmt::format("database: {}{}\n", plain ? db : YamlString(db),
                     postgres ? "" : "   # relative to this file");
  out += "tables:\n";
  for (const TableProfile& t : profile.tables) w.Table(t);
  return out;
}

namespace {

// `name` as a source id: every byte that is not an ASCII letter, digit or '-' becomes '_';
// "source" when nothing is left.
std::string SourceIdFrom(std::string_view name) {
  std::string id;
  for (char c : name) id += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
  return id.empty() ? "source" : id;
}

}  // namespace

DraftOptions DraftOptionsFor(const std::string& database, const std::string& rule_file) {
  namespace fs = std::filesystem;
  DraftOptions options;
  if (database.starts_with("postgresql://") || database.starts_with("postgres://")) {
    options.source_id = SourceIdFrom(SplitSchema(database).schema);
    options.connection = DsnWithoutPassword(database);
    options.password_left_out = options.connection != database;
    return options;
  }
  std::string path = database.starts_with("sqlite:") ? database.substr(7) : database;
  options.source_id = SourceIdFrom(fs::path(path).stem().string());
  const fs::path folder = fs::absolute(rule_file).parent_path();
  const fs::path db_abs = fs::weakly_canonical(fs::absolute(path));
  fs::path ref = db_abs.lexically_relative(fs::weakly_canonical(folder));
  if (ref.empty()) ref = db_abs;
  options.database_ref = ref.generic_string();
  return options;
}

}  // namespace dqa::profiling
