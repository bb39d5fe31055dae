#include "core/util/yaml_load.h"

#include <fmt/format.h>

#include <set>
#include <string_view>

#include "core/util/input_file.h"

namespace dqa {
namespace {

// Position of byte `pos` of `text` as a 1-based line and byte column.
YamlProblem At(std::string_view text, size_t pos, std::string message) {
  YamlProblem p;
  p.message = std::move(message);
  for (size_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

YamlProblem UnclosedQuote(std::string_view text, size_t open) {
  return At(text, open,
            fmt::format("YAML syntax error: unclosed quote: the string that starts here has no "
                        "closing {}",
                        text[open]));
}

// The position of the closing quote of the quoted scalar opening at `open`: `\` escapes in
// double quotes, a doubled quote in single quotes. nullopt when it is never closed.
std::optional<size_t> ClosingQuote(std::string_view text, size_t open) {
  const char quote = text[open];
  for (size_t i = open + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;
      } else {
        return i;
      }
    }
  }
  return std::nullopt;
}

bool HasClosingQuote(std::string_view text, size_t open) {
  return ClosingQuote(text, open).has_value();
}

// Inside a flow collection (`{...}`, `[...]`) yaml-cpp does see an unclosed quote, but reports it
// as the collection's end missing at the end of the file ("end of map flow not found", last
// line). Used only once yaml-cpp has failed: a lexical pass for a quote that opens a scalar (at
// the start of a line's content, or after `:`/`-`/`?` and a space, `[`, `{` or `,`) and is never
// closed. Comments are skipped; quotes inside plain scalars (`don't`) do not open anything.
std::optional<size_t> FindUnclosedQuoteInText(std::string_view text) {
  const auto blank = [&](size_t i) {
    return i >= text.size() || text[i] == ' ' || text[i] == '\t' || text[i] == '\n' ||
           text[i] == '\r';
  };
  bool value_start = true;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '#' && (i == 0 || blank(i - 1))) {
      while (i < text.size() && text[i] != '\n') ++i;
      value_start = true;
    } else if (c == '"' || c == '\'') {
      if (!value_start) continue;
      const std::optional<size_t> close = ClosingQuote(text, i);
      if (!close) return i;
      i = *close;
      value_start = false;
    } else if (c == '\n' || c == '[' || c == '{' || c == ',') {
      value_start = true;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      value_start = (c == ':' || c == '-' || c == '?') && blank(i + 1);
    }
  }
  return std::nullopt;
}

// yaml-cpp reads an unclosed quoted scalar up to the end of the input and reports nothing (the
// rest of the file silently becomes one string). Finds the first quoted scalar (tag "!", text at
// its mark starting with a quote) without a closing quote. Collections are visited once each
// (by position), so aliases cannot make the walk exponential.
std::optional<size_t> FindUnclosedQuote(std::string_view text, const YAML::Node& node,
                                        std::set<size_t>& visited) {
  const YAML::Mark mark = node.Mark();
  if (node.IsScalar()) {
    if (node.Tag() != "!" || mark.pos < 0) return std::nullopt;
    const size_t pos = static_cast<size_t>(mark.pos);
    if (pos >= text.size() || (text[pos] != '"' && text[pos] != '\'')) return std::nullopt;
    if (HasClosingQuote(text, pos)) return std::nullopt;
    return pos;
  }
  if (!node.IsMap() && !node.IsSequence()) return std::nullopt;
  if (mark.pos >= 0 && !visited.insert(static_cast<size_t>(mark.pos)).second) return std::nullopt;
  std::optional<size_t> first;
  const auto keep = [&](std::optional<size_t> p) {
    if (p && (!first || *p < *first)) first = p;
  };
  if (node.IsMap()) {
    for (const auto& kv : node) {
      keep(FindUnclosedQuote(text, kv.first, visited));
      keep(FindUnclosedQuote(text, kv.second, visited));
    }
  } else {
    for (const auto& item : node) keep(FindUnclosedQuote(text, item, visited));
  }
  return first;
}

}  // namespace

LoadedYaml LoadYaml(const std::string& text) {
  LoadedYaml out;
  if (std::optional<TextProblem> bad = FindTextProblem(text)) {
    out.problem = YamlProblem{bad->line, bad->column,
                              bad->message + ": a YAML file must be UTF-8 text"};
    return out;
  }
  try {
    out.root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    if (const std::optional<size_t> open = FindUnclosedQuoteInText(text);
        open && (e.mark.pos < 0 || *open <= static_cast<size_t>(e.mark.pos))) {
      out.problem = UnclosedQuote(text, *open);
      return out;
    }
    out.problem = YamlProblem{e.mark.line < 0 ? 1 : e.mark.line + 1,
                              e.mark.column < 0 ? 1 : e.mark.column + 1,
                              "YAML syntax error: " + e.msg};
    return out;
  } catch (const YAML::Exception& e) {
    out.problem = YamlProblem{1, 1, std::string("YAML error: ") + e.what()};
    return out;
  }
  std::set<size_t> visited;
  if (const std::optional<size_t> open = FindUnclosedQuote(text, out.root, visited)) {
    out.problem = UnclosedQuote(text, *open);
  }
  return out;
}

}  // namespace dqa
