// LoadYaml: the one adapter between yaml-cpp and dqaudit's messages. Every problem that keeps a
// text from being read as YAML comes back with its position, including the ones yaml-cpp lets
// through (an unclosed quote swallows the rest of the file) and bytes that are not UTF-8 text.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace dqa {

struct YamlProblem {
  int line = 1;    // 1-based
  int column = 1;  // 1-based, in bytes from the start of the line (yaml-cpp's columns)
  // "YAML syntax error: ...", "unclosed quote: ...", "NUL byte (0x00) ...", "invalid UTF-8 ..."
  std::string message;
};

struct LoadedYaml {
  YAML::Node root;                     // valid only when `problem` is empty
  std::optional<YamlProblem> problem;  // the first problem found; nothing else is then reported
};

// Parses `text`. Never throws. Checks, in order: NUL bytes and invalid UTF-8 (before yaml-cpp
// sees the text), yaml-cpp's syntax errors (its own message and mark), then quoted scalars that
// yaml-cpp accepted without a closing quote (reported at the opening quote).
LoadedYaml LoadYaml(const std::string& text);

}  // namespace dqa
