#include "core/i18n/catalog.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdlib>

#include "core/i18n/embedded_catalogs.h"

namespace dqa::i18n {
namespace {

std::string Where(const std::string& file, const YAML::Mark& mark) {
  return fmt::format("{}:{}:{}", file, mark.line + 1, mark.column + 1);
}

Status Flatten(const YAML::Node& node, const std::string& prefix, const std::string& file,
               std::map<std::string, std::string, std::less<>>& out) {
  if (!node.IsMap()) {
    return InvalidArgument(fmt::format("{}: expected a map of messages", Where(file, node.Mark())));
  }
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    if (key.empty() || key.find('.') != std::string::npos) {
      return InvalidArgument(fmt::format("{}: a catalog key is a non-empty word without dots: '{}'",
                                         Where(file, entry.first.Mark()), key));
    }
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    if (entry.second.IsMap()) {
      DQA_RETURN_IF_ERROR(Flatten(entry.second, path, file, out));
    } else if (entry.second.IsScalar()) {
      if (!out.emplace(path, entry.second.as<std::string>()).second) {
        return InvalidArgument(
            fmt::format("{}: '{}' is defined twice", Where(file, entry.first.Mark()), path));
      }
    } else {
      return InvalidArgument(fmt::format("{}: '{}' must be a text or a map",
                                         Where(file, entry.second.Mark()), path));
    }
  }
  return Status::Ok();
}

// Digits of a non-negative integer with `separator` between groups of three.
std::string Grouped(std::string digits, std::string_view separator) {
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += separator;
    out += digits[i];
  }
  return out;
}

}  // namespace

Result<Language> ParseLanguage(std::string_view code) {
  if (code == "vi") return Language::kVi;
  if (code == "en") return Language::kEn;
  return InvalidArgument(fmt::format("unknown language '{}': expected vi or en", code));
}

std::string_view ToString(Language lang) { return lang == Language::kVi ? "vi" : "en"; }

Result<Catalog> Catalog::FromFiles(Language lang, const std::vector<CatalogFile>& files) {
  Catalog catalog;
  catalog.language_ = lang;
  for (const CatalogFile& file : files) {
    YAML::Node root;
    try {
      root = YAML::Load(file.yaml);
    } catch (const YAML::Exception& e) {
      return InvalidArgument(fmt::format("{}:{}:{}: {}", file.name, e.mark.line + 1,
                                         e.mark.column + 1, e.msg));
    }
    if (root.IsNull()) continue;
    DQA_RETURN_IF_ERROR(Flatten(root, "", file.name, catalog.messages_));
  }
  return catalog;
}

const Catalog& Catalog::BuiltIn(Language lang) {
  static const Catalog* catalogs[2] = {nullptr, nullptr};
  static const bool loaded = [] {
    for (Language l : kLanguages) {
      std::vector<CatalogFile> files;
      const std::string dir = std::string(ToString(l)) + "/";
      for (size_t i = 0; i < kEmbeddedCatalogCount; ++i) {
        if (std::string_view(kEmbeddedCatalogs[i].name).starts_with(dir)) {
          files.push_back({kEmbeddedCatalogs[i].name, kEmbeddedCatalogs[i].text});
        }
      }
      Result<Catalog> c = FromFiles(l, files);
      if (!c.ok()) {
        // The test suite keeps the built-in files valid; if they are not, show keys, not crash.
        spdlog::error("message catalog: {}", c.status().message());
        Catalog empty;
        empty.language_ = l;
        catalogs[static_cast<int>(l)] = new Catalog(std::move(empty));  // lives until exit
      } else {
        catalogs[static_cast<int>(l)] = new Catalog(std::move(c).value());  // lives until exit
      }
    }
    return true;
  }();
  (void)loaded;
  return *catalogs[static_cast<int>(lang)];
}

bool Catalog::Has(std::string_view key) const { return messages_.find(key) != messages_.end(); }

std::string_view Catalog::Text(std::string_view key) const {
  auto it = messages_.find(key);
  if (it != messages_.end()) return it->second;
  // Remember the marker so the returned view stays valid.
  static thread_local std::map<std::string, std::string, std::less<>> missing;
  auto [m, inserted] = missing.try_emplace(std::string(key), "⟦" + std::string(key) + "⟧");
  (void)inserted;
  return m->second;
}

std::string Catalog::Format(std::string_view key, std::initializer_list<Arg> args) const {
  return Format(key, std::vector<Arg>(args));
}

std::string Catalog::Format(std::string_view key, const std::vector<Arg>& args) const {
  return Substitute(Text(key), args);
}

std::string Catalog::Substitute(std::string_view text, const std::vector<Arg>& args) {
  std::string out;
  out.reserve(text.size() + 16);
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      const size_t close = text.find('}', i + 1);
      if (close != std::string_view::npos) {
        const std::string_view name = text.substr(i + 1, close - i - 1);
        bool replaced = false;
        for (const Arg& a : args) {
          if (a.first == name) {
            out += a.second;
            replaced = true;
            break;
          }
        }
        if (replaced) {
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

std::string Catalog::Integer(int64_t value) const {
  const std::string digits = std::to_string(value < 0 ? -value : value);
  return (value < 0 ? "-" : "") + Grouped(digits, Text("format.group_separator"));
}

std::string Catalog::Number(double value, int decimals) const {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  std::string text = fmt::format("{:.{}f}", std::fabs(value), decimals < 0 ? 0 : decimals);
  const size_t dot = text.find('.');
  std::string whole = dot == std::string::npos ? text : text.substr(0, dot);
  std::string out = Grouped(whole, Text("format.group_separator"));
  if (dot != std::string::npos) {
    out += Text("format.decimal_separator");
    out += text.substr(dot + 1);
  }
  const bool negative = value < 0 && out.find_first_not_of("0.,") != std::string::npos;
  return (negative ? "-" : "") + out;
}

std::string Catalog::Percent(double value, int decimals) const {
  return Format("format.percent", {{"value", Number(value, decimals)}});
}

std::string Catalog::Date(std::string_view iso_day) const {
  if (iso_day.size() != 10 || iso_day[4] != '-' || iso_day[7] != '-') return std::string(iso_day);
  return Format("format.date", {{"year", std::string(iso_day.substr(0, 4))},
                                {"month", std::string(iso_day.substr(5, 2))},
                                {"day", std::string(iso_day.substr(8, 2))}});
}

std::vector<std::string> Catalog::Keys() const {
  std::vector<std::string> keys;
  keys.reserve(messages_.size());
  for (const auto& [key, text] : messages_) keys.push_back(key);
  return keys;
}

}  // namespace dqa::i18n
