// Message catalogs: every user-facing word of reports and schedules, per language, from the YAML
// files in core/i18n/catalogs/<lang>/ (compiled into the binary, so reports work with no files
// around). Below the schedule and the report renderers, which both use it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/util/status.h"

namespace dqa::i18n {

enum class Language { kVi, kEn };
// Every language there is a catalog for, in a fixed order.
inline constexpr Language kLanguages[] = {Language::kVi, Language::kEn};

// "vi" or "en" -> Language; InvalidArgument naming the languages there are otherwise.
Result<Language> ParseLanguage(std::string_view code);
std::string_view ToString(Language lang);  // "vi", "en"

// One catalog file: its name (for error messages, "vi/report.yaml") and its YAML text.
struct CatalogFile {
  std::string name;
  std::string yaml;
};

// The messages of a catalog file in the plain form the shipped files are written in, in a line
// scan: comment lines, `key:` opening a map whose entries are indented below it, and
// `key: "text"` (a double-quoted text on its line, without backslashes), each with a comment at
// most after it. Keys are letters, digits and underscores; the result is each text with its dotted
// path, in file order. nullopt for anything else (which Catalog::FromFiles then reads with a YAML
// parser, as it does an error in it).
std::optional<std::vector<std::pair<std::string, std::string>>> FlattenPlainCatalog(
    std::string_view yaml);

// A language's messages. Keys are the dotted paths of the YAML maps ("outcome.pass"); values are
// strings with optional {name} placeholders.
class Catalog {
 public:
  // The compiled-in catalog of `lang`. Built on first use; the built-in files are checked by the
  // test suite (same keys in every language, every placeholder known), so this never fails.
  static const Catalog& BuiltIn(Language lang);

  // Parses `files` (maps of maps of strings; later files may not redefine a key). InvalidArgument
  // "<file>:<line>:<col>: ..." for anything else.
  static Result<Catalog> FromFiles(Language lang, const std::vector<CatalogFile>& files);

  Language language() const { return language_; }

  // The message for `key`, or "⟦key⟧" when there is none (visible in a report, never a crash).
  std::string_view Text(std::string_view key) const;
  bool Has(std::string_view key) const;

  // Text(key) with each {name} replaced by its argument; unknown placeholders stay as written.
  using Arg = std::pair<std::string_view, std::string>;
  std::string Format(std::string_view key, std::initializer_list<Arg> args) const;
  std::string Format(std::string_view key, const std::vector<Arg>& args) const;
  // `text` with each {name} replaced by its argument (Format without the lookup).
  static std::string Substitute(std::string_view text, const std::vector<Arg>& args);

  // Numbers, percentages and dates the way the language writes them (format.* keys):
  // vi 1.234.567 / 12,5 % / 21/11/2026; en 1,234,567 / 12.5% / 2026-11-21.
  std::string Integer(int64_t value) const;
  std::string Number(double value, int decimals) const;
  std::string Percent(double value, int decimals = 1) const;  // value is already 0..100
  std::string Date(std::string_view iso_day) const;           // "YYYY-MM-DD"; other text unchanged

  // Every key, sorted (tests compare languages).
  std::vector<std::string> Keys() const;

 private:
  Language language_ = Language::kVi;
  std::map<std::string, std::string, std::less<>> messages_;
};

}  // namespace dqa::i18n
