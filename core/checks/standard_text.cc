// standard_text: text is stored in standard form (valid UTF-8, NFC, no control characters, not a
// legacy 8-bit Vietnamese encoding), without which matching and duplicate detection fail.
#include <fmt/format.h>

#include <array>

#include "core/checks/check_support.h"
#include "core/checks/legacy_vietnamese.h"
#include "core/util/text.h"

namespace dqa {
namespace {

// The reasons a text value is not in standard form, in the order of the `flag` choices, the
// metrics and the message.
enum Reason : size_t { kLegacy, kInvalidUtf8, kNotNfc, kControl, kReasonCount };
constexpr std::array<const char*, kReasonCount> kReasonNames = {"legacy", "invalid_utf8", "not_nfc",
                                                                 "control"};
using ReasonSet = unsigned;  // bit r = reason r

constexpr ReasonSet Bit(Reason r) { return 1u << r; }

// C0 controls, DEL, C1 controls, and U+FFFD (the mark of text already lost in a conversion).
constexpr bool IsControlOrReplacement(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFD;
}

// The reasons among `wanted` for which `text` is not in standard form. ASCII without control
// characters (most values) costs one pass over the bytes and calls nothing else; NFC is ICU's
// quick check on the UTF-8 bytes; the legacy detector only runs on non-ASCII text.
ReasonSet NonStandardReasons(std::string_view text, ReasonSet wanted) {
  ReasonSet found = 0;
  bool ascii = true;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
      ascii = false;
      break;
    }
    if (byte < 0x20 || byte == 0x7F) found |= Bit(kControl);
  }
  if (ascii) return found & wanted;
  // Text that is not UTF-8 cannot be read as characters: that is its only reason.
  if (!IsValidUtf8(text)) return wanted & Bit(kInvalidUtf8);
  if (wanted & Bit(kControl)) {
    for (size_t pos = 0; pos < text.size();) {
      if (IsControlOrReplacement(DecodeUtf8(text, pos).value_or(0xFFFD))) {
        found |= Bit(kControl);
        break;
      }
    }
  }
  if ((wanted & Bit(kNotNfc)) && !IsNfc(text)) found |= Bit(kNotNfc);
  if ((wanted & Bit(kLegacy)) && DetectLegacyVietnamese(text).has_value()) found |= Bit(kLegacy);
  return found & wanted;
}

// Violation: a row with at least one checked TEXT value that is not in standard form for one of
// the reasons of `flag`. Metrics count the values per reason.
class StandardTextEvaluator : public RowEvaluator {
 public:
  StandardTextEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context) {
    for (const std::string& name : p.Strings("flag")) {
      for (size_t r = 0; r < kReasonCount; ++r) {
        if (name == kReasonNames[r]) wanted_ |= Bit(static_cast<Reason>(r));
      }
    }
  }

 protected:
  nlohmann::json SaveOwnState() const override { return values_; }
  void LoadOwnState(const nlohmann::json& state) override {
    values_ = state.get<std::array<int64_t, kReasonCount>>();
  }
  void MergeState(RowEvaluator& later) override {
    const auto& o = static_cast<StandardTextEvaluator&>(later);
    for (size_t r = 0; r < kReasonCount; ++r) values_[r] += o.values_[r];
  }
  void ObserveInScope(const ScanRow& row) override {
    bool checked = false;
    ReasonSet row_reasons = 0;
    for (size_t i = 0; i < spec_.columns.size(); ++i) {
      const Value& v = Cell(row, i);
      if (v.type != Value::Type::kText) continue;  // NULL, numbers and BLOBs are not text
      checked = true;
      const ReasonSet reasons = NonStandardReasons(v.bytes, wanted_);
      for (size_t r = 0; r < kReasonCount; ++r) values_[r] += (reasons >> r) & 1u;
      row_reasons |= reasons;
    }
    if (!checked) return;
    ++rows_checked_;
    if (row_reasons != 0) AddViolation(row);
  }

  std::string Complete(CheckResult& result) override {
    std::string counts;
    for (size_t r = 0; r < kReasonCount; ++r) {
      if ((wanted_ & Bit(static_cast<Reason>(r))) == 0) continue;
      result.metrics.emplace_back(kReasonNames[r], static_cast<double>(values_[r]));
      counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", kReasonNames[r], values_[r]);
    }
    SetWords(result, "check.standard_text",
             CountArgs(result, {{"columns", JoinColumns(spec_.columns)}}));
    return fmt::format("{} have text not in standard form in {} (values: {})",
                       CountText(result.violations, result.rows_checked, "rows"),
                       JoinColumns(spec_.columns), counts);
  }

 private:
  ReasonSet wanted_ = 0;
  std::array<int64_t, kReasonCount> values_{};
};

class StandardTextType : public EvaluatedCheckType<StandardTextEvaluator> {
 public:
  StandardTextType()
      : EvaluatedCheckType({
            .name = "standard_text",
            .summary = "Text is valid UTF-8 in NFC, without control characters or a legacy "
                       "Vietnamese encoding (TCVN3, VNI).",
            .dimension = Dimension::kUniqueness,
            .shape = CheckShape::kRow,
            .params = {ColumnsParam("the text columns; one violation per row"),
                       OneColumnParam(),
                       {.name = "flag", .type = ParamType::kStringList,
                        .description = "the reasons that make a value non-standard",
                        .default_value = {"legacy", "invalid_utf8", "not_nfc", "control"},
                        .choices = {"legacy", "invalid_utf8", "not_nfc", "control"},
                        .non_empty = true}},
        }) {}

  void Validate(const nlohmann::json& p, std::vector<ParamIssue>& issues) const override {
    ColumnsParamsIssues(p, name(), issues);
  }
};

}  // namespace

std::unique_ptr<CheckType> StandardTextCheckType() { return std::make_unique<StandardTextType>(); }

}  // namespace dqa
