// The exit-code line of each command's --help: every command lists exactly the codes it can
// return (README "Exit codes", table by command), each with what it means for that command.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace dqa::cli {

struct ExitCodeHelp {
  int code;
  std::string_view meaning;
};

// "Exit codes: 0 MEANING; 2 MEANING." wrapped at 100 columns, after `before` (other footer text,
// ending in a newline, or ""). Usage errors (bad options) are 2 for every command, so every list
// must have it.
std::string ExitCodesFooter(std::initializer_list<ExitCodeHelp> codes,
                            std::string_view before = "");

}  // namespace dqa::cli
