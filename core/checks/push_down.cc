#include "core/checks/push_down.h"

#include <fmt/format.h>

#include "core/util/text.h"
#include "dqaudit/text.h"

namespace dqa {

SqlColumnKind PgColumnKind(std::string_view declared_type) {
  const std::string t = sdk::ToLowerAscii(declared_type);
  const auto starts = [&](std::string_view prefix) { return t.starts_with(prefix); };
  // bpchar is not text-exact: the server's cast drops the padding that its values carry.
  if (t == "text" || starts("character varying") || starts("varchar")) return SqlColumnKind::kText;
  if (t == "smallint" || t == "integer" || t == "bigint") return SqlColumnKind::kInteger;
  if (t == "real" || t == "double precision") return SqlColumnKind::kFloat;
  if (starts("numeric")) return SqlColumnKind::kNumeric;
  if (t == "date") return SqlColumnKind::kDate;
  if (starts("timestamp") && t.ends_with("without time zone")) return SqlColumnKind::kTimestamp;
  return SqlColumnKind::kOther;
}

bool TextFormExact(SqlColumnKind kind) {
  return kind == SqlColumnKind::kText || kind == SqlColumnKind::kInteger ||
         kind == SqlColumnKind::kDate || kind == SqlColumnKind::kTimestamp;
}

SqlColumnKind PushDownTable::KindOf(std::string_view column) const {
  const auto it = kinds.find(sdk::ToLowerAscii(column));
  return it == kinds.end() ? SqlColumnKind::kOther : it->second;
}

SqlFragment& SqlFragment::operator+=(std::string_view text) {
  sql += text;
  return *this;
}

SqlFragment& SqlFragment::operator+=(const SqlFragment& other) {
  sql += other.sql;
  params.insert(params.end(), other.params.begin(), other.params.end());
  return *this;
}

SqlFragment& SqlFragment::Param(std::string text) {
  sql += '?';
  params.push_back(std::move(text));
  return *this;
}

namespace {

// Canonical equivalents of every item, or nullopt beyond a few thousand strings in all.
std::optional<std::vector<std::string>> EquivalentsOf(const std::vector<std::string>& items) {
  constexpr size_t kPerItem = 1000, kInAll = 10000;
  std::vector<std::string> out;
  for (const std::string& item : items) {
    if (item.empty()) {  // ICU enumerates nothing for it
      out.emplace_back();
      continue;
    }
    auto equivalents = CanonicalEquivalents(item, kPerItem);
    if (!equivalents) return std::nullopt;
    out.insert(out.end(), equivalents->begin(), equivalents->end());
    if (out.size() > kInAll) return std::nullopt;
  }
  return out;
}

// IsWhitespace's code points (all in the Basic Multilingual Plane), listed once.
const std::vector<char32_t>& WhitespaceCodePoints() {
  static const std::vector<char32_t> points = [] {
    std::vector<char32_t> out;
    for (char32_t c = 0; c <= 0xFFFF; ++c) {
      if (IsWhitespace(c)) out.push_back(c);
    }
    return out;
  }();
  return points;
}

// A bracket expression of the whitespace code points for the server's regular expressions.
std::string WhitespaceClass() {
  std::string out = "[";
  for (const char32_t c : WhitespaceCodePoints()) out += fmt::format("\\u{:04x}", static_cast<uint32_t>(c));
  out += "]";
  return out;
}

// `text` matched literally by a PostgreSQL regular expression (ARE).
std::string RegexLiteral(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::optional<SqlFragment> NfcMemberSql(const std::string& expr,
                                        const std::vector<std::string>& nfc_items,
                                        bool unicode_normalize) {
  SqlFragment out;
  if (auto equivalents = EquivalentsOf(nfc_items)) {
    out += expr + " = ANY(";
    out.Param(SqlArrayLiteral(*equivalents));
    out += "::text[])";
    return out;
  }
  if (!unicode_normalize) return std::nullopt;
  // Most values are NFC already and normalize() is slow: only the others are normalised.
  const std::string list = SqlArrayLiteral(nfc_items);
  out += "(" + expr + " = ANY(";
  out.Param(list);
  out += "::text[]) OR (NOT " + expr + " IS NFC NORMALIZED AND normalize(" + expr +
         ", NFC) = ANY(";
  out.Param(list);
  out += "::text[])))";
  return out;
}

std::optional<SqlFragment> BlankOrListedSql(const std::string& expr,
                                            const std::vector<std::string>& nfc_items,
                                            bool blank) {
  auto equivalents = EquivalentsOf(nfc_items);
  if (!equivalents) return std::nullopt;
  SqlFragment out;
  out += "(";
  bool empty_listed = false;
  if (!equivalents->empty()) {
    out += expr + " = ANY(";
    out.Param(SqlArrayLiteral(*equivalents));
    out += "::text[]) OR ";
  }
  std::vector<std::string> whitespace;
  for (const char32_t c : WhitespaceCodePoints()) whitespace.push_back(std::to_string(c));
  std::string alternatives;
  for (size_t i = 0; i < equivalents->size(); ++i) {
    const std::string& e = (*equivalents)[i];
    empty_listed = empty_listed || e.empty();
    if (i > 0) alternatives += '|';
    alternatives += RegexLiteral(e);
  }
  // ascii('') is 0: the empty text is decided on its own.
  if (blank || empty_listed) out += expr + " = '' OR ";
  const std::string ws = WhitespaceClass();
  std::string regex = "^" + ws + "*";
  if (!equivalents->empty()) regex += "(" + alternatives + ")" + (blank ? "?" : "");
  regex += ws + "*$";
  // Any other missing value starts with whitespace (blank) or has whitespace at an end (a listed
  // value once trimmed): only those few go through the regular expression.
  const std::string list = SqlArrayLiteral(whitespace);
  out += "((ascii(" + expr + ") = ANY(";
  out.Param(list);
  out += "::int[])";
  if (!equivalents->empty()) {
    out += " OR ascii(right(" + expr + ", 1)) = ANY(";
    out.Param(list);
    out += "::int[])";
  }
  out += ") AND " + expr + " ~ ";
  out.Param(regex);
  out += "))";
  return out;
}

std::string SqlArrayLiteral(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (const char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::string SqlExactNumber(double x) { return fmt::format("{:.17g}", x); }

}  // namespace dqa
