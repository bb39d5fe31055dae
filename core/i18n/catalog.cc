#include "core/i18n/catalog.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>

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

std::optional<std::vector<std::pair<std::string, std::string>>> FlattenPlainCatalog(
    std::string_view yaml) {
  std::vector<std::pair<std::string, std::string>> out;
  // The maps open above the line: each one's indentation, path and the indentation of its
  // entries (-1 until the first).
  struct Open {
    int indent;
    std::string path;
    int entries = -1;
  };
  std::vector<Open> open;
  // Pops the maps the line at `indent` is not inside; false for a map left without an entry.
  const auto close_to = [&](int indent) {
    while (!open.empty() && open.back().indent >= indent) {
      if (open.back().entries < 0) return false;  // `key:` alone is null, not a map
      open.pop_back();
    }
    return true;
  };
  // Whitespace, then nothing or a comment.
  const auto ends_clean = [](std::string_view rest) {
    const size_t at = rest.find_first_not_of(' ');
    return at == std::string_view::npos || (rest[at] == '#' && at > 0);
  };
  size_t begin = 0;
  while (begin < yaml.size()) {
    size_t end = yaml.find('\n', begin);
    if (end == std::string_view::npos) end = yaml.size();
    std::string_view line = yaml.substr(begin, end - begin);
    begin = end + 1;
    if (line.ends_with('\r')) line.remove_suffix(1);
    const size_t first = line.find_first_not_of(' ');
    if (first == std::string_view::npos || line[first] == '#') continue;
    const int indent = static_cast<int>(first);
    line.remove_prefix(first);
    size_t k = 0;
    while (k < line.size() && (std::isalnum(static_cast<unsigned char>(line[k])) || line[k] == '_')) {
      ++k;
    }
    const std::string_view key = line.substr(0, k);
    if (k == 0 || k == line.size() || line[k] != ':' || key == "null" || key == "Null" ||
        key == "NULL") {
      return std::nullopt;
    }
    if (!close_to(indent)) return std::nullopt;
    if (!open.empty()) {
      // The first entry of a map sets its indentation; the others keep it.
      int& entries = open.back().entries;
      if (entries < 0) entries = indent;
      if (entries != indent) return std::nullopt;
    } else if (indent != 0) {
      return std::nullopt;
    }
    std::string path = open.empty() ? std::string(key) : open.back().path + "." + std::string(key);
    const std::string_view rest = line.substr(k + 1);
    if (ends_clean(rest)) {
      open.push_back({indent, std::move(path)});
      continue;
    }
    // key: "text": a double-quoted text on its line, without escapes, then a comment at most.
    const size_t quote = rest.find_first_not_of(' ');
    if (quote == 0 || rest[quote] != '"') return std::nullopt;
    const size_t close = rest.find('"', quote + 1);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view text = rest.substr(quote + 1, close - quote - 1);
    if (text.find('\\') != std::string_view::npos || !ends_clean(rest.substr(close + 1))) {
      return std::nullopt;
    }
    out.emplace_back(std::move(path), std::string(text));
  }
  if (!close_to(0)) return std::nullopt;
  return out;
}

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
    // The files dqaudit ships are written in the plain form FlattenPlainCatalog reads in a
    // line scan (a twentieth of yaml-cpp's time); anything else, and any error, goes to yaml-cpp.
    if (auto plain = FlattenPlainCatalog(file.yaml)) {
      std::map<std::string, std::string, std::less<>> add;
      bool fresh = true;
      for (auto& [key, text] : *plain) {
        fresh = fresh && !catalog.messages_.contains(key) &&
                add.emplace(std::move(key), std::move(text)).second;
      }
      if (fresh) {
        catalog.messages_.merge(add);
        continue;
      }
    }
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
