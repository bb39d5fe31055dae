// ExitCodesFooter: one sentence per code, wrapped so that --help stays readable in a terminal.
#include "core/cli/help_footer.h"

#include <fmt/format.h>

namespace dqa::cli {

std::string ExitCodesFooter(std::initializer_list<ExitCodeHelp> codes, std::string_view before) {
  constexpr size_t kWidth = 100;
  std::string out(before);
  std::string line = "Exit codes:";
  size_t index = 0;
  for (const ExitCodeHelp& c : codes) {
    const std::string item =
        fmt::format("{} {}{}", c.code, c.meaning, ++index == codes.size() ? "." : ";");
    // Words move to the next line one by one, so a long meaning wraps instead of overflowing.
    size_t start = 0;
    while (start < item.size()) {
      size_t end = item.find(' ', start);
      if (end == std::string::npos) end = item.size();
      const std::string_view word(item.data() + start, end - start);
      if (line.size() + 1 + word.size() > kWidth) {
        out += line + "\n";
        line.clear();
      } else if (!line.empty()) {
        line += ' ';
      }
      line += word;
      start = end + 1;
    }
  }
  return out + line;
}

}  // namespace dqa::cli
