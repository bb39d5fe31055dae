// allowed: the value of a column is one of a list (code lists, categories), or none of a list of
// forbidden values; compared as text forms or as typed values.
#include <fmt/format.h>

#include <cmath>
#include <unordered_set>

#include "core/checks/check_support.h"
#include "core/util/text.h"

namespace dqa {
namespace {

// The list of `values` (or `forbidden`) and how a value is looked up in it. `compare: text` (the
// default) compares the value's text form, so an INTEGER 1 is not the code "01" and a REAL 1.0
// (text form "1") is not "1.0". `compare: typed` compares INTEGER and REAL values as numbers with
// the listed items that are numbers, and TEXT and BLOB values as text.
class ValueList {
 public:
  ValueList(const std::vector<std::string>& items, bool normalize, bool typed)
      : normalize_(normalize), typed_(typed) {
    for (const std::string& item : items) {
      texts_.insert(normalize_ ? ToNfc(item) : item);
      if (!typed_) continue;
      if (const auto i = ParseRuleInteger(item)) integers_.insert(*i);
      if (const auto x = ParseRuleNumber(item)) numbers_.insert(*x);
    }
  }

  bool Contains(const Value& v) {
    if (typed_ && v.type == Value::Type::kInteger) {
      // Beyond 2^53 a whole number has no exact double: it matches only a listed whole number.
      constexpr int64_t kExactInDouble = int64_t{1} << 53;
      return integers_.contains(v.integer) ||
             (v.integer >= -kExactInDouble && v.integer <= kExactInDouble &&
              numbers_.contains(static_cast<double>(v.integer)));
    }
    if (typed_ && v.type == Value::Type::kReal) return numbers_.contains(v.real);
    std::string_view text = TextForm(v, scratch_);
    if (normalize_) text = NfcView(text, nfc_scratch_);
    return texts_.contains(text);
  }
  size_t size() const { return texts_.size(); }

  // The SQL of Contains for a column of kind `kind`, or nullopt where it would not be exact.
  std::optional<SqlFragment> MemberSql(const std::string& column, SqlColumnKind kind,
                                       bool unicode_normalize) const {
    const std::string c = QuoteIdent(column);
    SqlFragment out;
    if (typed_ && kind == SqlColumnKind::kInteger) {
      // The whole numbers that Contains matches: listed integers, and listed numbers that are
      // whole and exact in a double.
      std::vector<std::string> whole;
      for (const int64_t i : integers_) whole.push_back(std::to_string(i));
      constexpr double kExactInDouble = 9007199254740992.0;  // 2^53
      for (const double x : numbers_) {
        if (x == std::trunc(x) && x >= -kExactInDouble && x <= kExactInDouble) {
          whole.push_back(std::to_string(static_cast<int64_t>(x)));
        }
      }
      out += c + " = ANY(";
      out.Param(SqlArrayLiteral(whole));
      out += "::bigint[])";
      return out;
    }
    // Text forms: exact for text, integer and date columns (with typed, text values compare as
    // text too).
    if (!TextFormExact(kind) || (typed_ && kind != SqlColumnKind::kText)) return std::nullopt;
    const std::vector<std::string> items(texts_.begin(), texts_.end());
    if (!normalize_) {
      out += c + "::text = ANY(";
      out.Param(SqlArrayLiteral(items));
      out += "::text[])";
      return out;
    }
    return NfcMemberSql(c + "::text", items, unicode_normalize);
  }

 private:
  bool normalize_, typed_;
  StringSet texts_;
  std::unordered_set<int64_t> integers_;
  std::unordered_set<double> numbers_;
  std::string scratch_, nfc_scratch_;
};

// Violation: a value not in `values`, or a value in `forbidden` (exactly one of the two is given).
class AllowedEvaluator : public RowEvaluator {
 public:
  AllowedEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context),
        forbidden_(p.Find("forbidden") != nullptr),
        list_(p.Strings(forbidden_ ? "forbidden" : "values"), p.Bool("normalize"),
              p.String("compare") == "typed") {}

 std::optional<PushDown> PushDownSql(const PushDownTable& table) const override {
    const std::string& column = spec_.columns.front();
    auto member = list_.MemberSql(column, table.KindOf(column), table.unicode_normalize);
    if (!member) return std::nullopt;
    PushDown out;
    out.checked += QuoteIdent(column) + " IS NOT NULL";
    out.violation += forbidden_ ? "" : "NOT ";
    out.violation += *member;
    return out;
  }

 protected:
  nlohmann::json SaveOwnState() const override { return nullptr; }
  void LoadOwnState(const nlohmann::json&) override {}
  void MergeState(RowEvaluator&) override {}  // counts and samples only: the base merges them
  void ObserveInScope(const ScanRow& row) override {
    const Value& v = Cell(row);
    if (v.is_null()) return;
    ++rows_checked_;
    if (list_.Contains(v) == forbidden_) AddViolation(row);
  }
  std::string Complete(CheckResult& result) override {
    SetWords(result, forbidden_ ? "check.allowed.forbidden" : "check.allowed.values",
             CountArgs(result, {{"columns", JoinColumns(spec_.columns)},
                                {"n_list", std::to_string(list_.size())}}));
    return fmt::format("{} of {} are {} the {} {} values",
                       CountText(result.violations, result.rows_checked, "values"),
                       JoinColumns(spec_.columns), forbidden_ ? "among" : "not among",
                       list_.size(), forbidden_ ? "forbidden" : "allowed");
  }

 private:
  bool forbidden_;
  ValueList list_;
};

class AllowedType : public EvaluatedCheckType<AllowedEvaluator> {
 public:
  AllowedType()
      : EvaluatedCheckType({
            .name = "allowed",
            .summary = "The value of a column is one of a list of allowed values, or none of a "
                       "list of forbidden ones.",
            .dimension = Dimension::kValidity,
            .shape = CheckShape::kRow,
            .params = {{.name = "column", .type = ParamType::kColumn, .required = true,
                        .description = "the column"},
                       {.name = "values", .type = ParamType::kStringList,
                        .description = "the allowed values (give values or forbidden)",
                        .non_empty = true},
                       {.name = "forbidden", .type = ParamType::kStringList,
                        .description = "values that must not appear (give values or forbidden)",
                        .non_empty = true},
                       {.name = "compare", .type = ParamType::kString,
                        .description = "text: the value's text form; typed: INTEGER and REAL "
                                       "values as numbers, TEXT as text",
                        .default_value = "text", .choices = {"text", "typed"}},
                       {.name = "normalize", .type = ParamType::kBool,
                        .description = "compare NFC-normalised text", .default_value = true}},
        }) {}

  void Validate(const nlohmann::json& p, std::vector<ParamIssue>& issues) const override {
    const bool values = p.contains("values"), forbidden = p.contains("forbidden");
    if (!values && !forbidden) {
      issues.push_back({"", false, "check 'allowed' needs 'values' or 'forbidden'"});
    } else if (values && forbidden) {
      issues.push_back({"forbidden", true,
                        "give 'values' or 'forbidden', not both: with 'values', every other "
                        "value is already a violation"});
    }
  }
};

}  // namespace

std::unique_ptr<CheckType> AllowedCheckType() { return std::make_unique<AllowedType>(); }

}  // namespace dqa
