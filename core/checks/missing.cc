// missing: a column's value is NULL, blank, or one of the values that stand for "missing".
#include <fmt/format.h>

#include <algorithm>
#include <bitset>
#include <limits>

#include "core/checks/check_support.h"
#include "core/util/text.h"

namespace dqa {
namespace {

// Which texts can be in a set at all, by length and first byte: most cells (names, dates, phone
// numbers) are not, and are turned away without hashing them.
class SetPrefilter {
 public:
  void Add(std::string_view text) {
    if (text.empty()) {
      has_empty_ = true;
      return;
    }
    min_size_ = std::min(min_size_, text.size());
    max_size_ = std::max(max_size_, text.size());
    first_bytes_.set(static_cast<unsigned char>(text.front()));
  }
  bool MayContain(std::string_view text) const {
    if (text.empty()) return has_empty_;
    return text.size() >= min_size_ && text.size() <= max_size_ &&
           first_bytes_.test(static_cast<unsigned char>(text.front()));
  }

 private:
  std::bitset<256> first_bytes_;
  size_t min_size_ = std::numeric_limits<size_t>::max();
  size_t max_size_ = 0;
  bool has_empty_ = false;
};

// NULL, blank (blank_is_missing) or a trimmed NFC text form in missing_values.
class MissingEvaluator : public RowEvaluator {
 public:
  MissingEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context), blank_is_missing_(p.Bool("blank_is_missing")) {
    for (const std::string& v : p.Strings("missing_values")) {
      missing_values_.insert(ToNfc(TrimWhitespace(v)));
    }
    for (const std::string& v : missing_values_) listed_filter_.Add(v);
  }

  std::optional<PushDown> PushDownSql(const PushDownTable& table) const override {
    const std::string& column = spec_.columns.front();
    const std::string c = QuoteIdent(column);
    PushDown out;
    out.violation += c + " IS NULL";
    if (!blank_is_missing_ && missing_values_.empty()) return out;
    // Blank counts only text values, and the text cast of any other type is never blank; the
    // listed values compare with the value's text form.
    if (!missing_values_.empty() && !TextFormExact(table.KindOf(column))) return std::nullopt;
    auto listed = BlankOrListedSql(
        c + "::text", std::vector<std::string>(missing_values_.begin(), missing_values_.end()),
        blank_is_missing_);
    if (!listed) return std::nullopt;
    out.violation += " OR ";
    out.violation += *listed;
    return out;
  }

 protected:
  nlohmann::json SaveOwnState() const override { return nullptr; }
  void LoadOwnState(const nlohmann::json&) override {}
  void MergeState(RowEvaluator&) override {}  // counts and samples only: the base merges them
  void ObserveInScope(const ScanRow& row) override {
    ++rows_checked_;
    const Value& v = Cell(row);
    bool missing = v.is_null();
    if (!missing && blank_is_missing_ && v.type == Value::Type::kText) missing = IsBlank(v.bytes);
    if (!missing && !missing_values_.empty()) {
      const std::string_view text = TrimWhitespace(TextForm(v, scratch_));
      const std::string_view nfc = NfcView(text, nfc_scratch_);
      missing = listed_filter_.MayContain(nfc) && missing_values_.contains(nfc);
    }
    if (missing) AddViolation(row);
  }
  std::string Complete(CheckResult& result) override {
    SetWords(result, "check.missing", CountArgs(result, {{"columns", JoinColumns(spec_.columns)}}));
    return fmt::format("{} are missing {}",
                       CountText(result.violations, result.rows_checked, "rows"),
                       JoinColumns(spec_.columns));
  }

 private:
  bool blank_is_missing_;
  StringSet missing_values_;  // trimmed, NFC
  SetPrefilter listed_filter_;  // of missing_values_
  std::string scratch_, nfc_scratch_;
};

class MissingType : public EvaluatedCheckType<MissingEvaluator> {
 public:
  MissingType()
      : EvaluatedCheckType({
            .name = "missing",
            .summary = "A column is NULL, blank or holds a value that stands for 'missing'.",
            .dimension = Dimension::kCompleteness,
            .shape = CheckShape::kRow,
            .params = {ColumnsParam("the columns; one check per column"),
                       OneColumnParam(),
                       {.name = "missing_values", .type = ParamType::kStringList,
                        .description = "values that also count as missing, compared trimmed and "
                                       "NFC-normalised",
                        .default_value = nlohmann::json::array()},
                       {.name = "blank_is_missing", .type = ParamType::kBool,
                        .description = "text of only whitespace is missing",
                        .default_value = true}},
            .per_column = "columns",
        }) {}

  void Validate(const nlohmann::json& p, std::vector<ParamIssue>& issues) const override {
    ColumnsParamsIssues(p, name(), issues);
  }
};

}  // namespace

std::unique_ptr<CheckType> MissingCheckType() { return std::make_unique<MissingType>(); }

}  // namespace dqa
