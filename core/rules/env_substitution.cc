#include "core/rules/env_substitution.h"

#include <fmt/format.h>

#include <cstdlib>
#include <optional>
#include <string_view>

namespace dqa::rules {
namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// `text` with its ${NAME} substituted; nullopt (reported) when a variable is unset or a `${` is
// malformed.
std::optional<std::string> Expand(std::string_view text, const SourceLocation& loc,
                                  Diagnostics& diags) {
  std::string out;
  bool ok = true;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$') {
      out += text[i];
      continue;
    }
    if (text.substr(i).starts_with("$${")) {
      out += "${";
      i += 2;
      continue;
    }
    if (!text.substr(i).starts_with("${")) {
      out += '$';
      continue;
    }
    size_t end = i + 2;
    while (end < text.size() && IsNameChar(text[end])) ++end;
    const std::string_view name = text.substr(i + 2, end - i - 2);
    if (name.empty() || !IsNameStart(name[0]) || end >= text.size() || text[end] != '}') {
      diags.Add(loc, "'${' must be followed by an environment variable name and '}', as in "
                     "${DQA_PG_PASSWORD} (write '$${' for a literal '${')");
      return std::nullopt;
    }
    const std::string variable(name);
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) {
      diags.Add(loc, fmt::format("environment variable {} is not set", variable));
      ok = false;
    } else {
      out += value;
    }
    i = end;
  }
  if (!ok) return std::nullopt;
  return out;
}

void Walk(YAML::Node node, const std::string& file, Diagnostics& diags) {
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) Walk(it->second, file, diags);
  } else if (node.IsSequence()) {
    for (auto it = node.begin(); it != node.end(); ++it) Walk(*it, file, diags);
  } else if (node.IsScalar()) {
    const std::string written = node.Scalar();
    if (written.find('$') == std::string::npos) return;
    const YAML::Mark mark = node.Mark();
    const SourceLocation loc{file, mark.line + 1, mark.column + 1};
    const std::optional<std::string> expanded = Expand(written, loc, diags);
    if (!expanded || *expanded == written) return;
    diags.Redact(*expanded, written);
    node = *expanded;  // in place: the node keeps its position (mark) for later messages
  }
}

}  // namespace

void SubstituteEnvironment(YAML::Node root, const std::string& file, Diagnostics& diags) {
  Walk(root, file, diags);
}

}  // namespace dqa::rules
