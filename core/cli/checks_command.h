// `dqaudit checks list|info NAME`: the check catalogue, built-in and plugin check types alike.
#pragma once

#include <string>

#include "core/cli/plugins_command.h"

namespace CLI {
class App;
}

namespace dqa {
class CheckType;
}

namespace dqa::cli {

struct ChecksCommandOptions {
  PluginOptions plugins;  // their check types join the catalogue
  std::string name;       // `checks info NAME`
  bool json = false;      // --json: the catalogue as JSON (docs/checks.md "The catalogue as JSON")
};

struct ChecksCommands {
  CLI::App* list;
  CLI::App* info;
};
ChecksCommands AddChecksCommand(CLI::App& app, ChecksCommandOptions& options);

// `checks list`: every type (name, dimension, shape, origin, summary). Exit 0.
int RunChecksList(const ChecksCommandOptions& options);
// `checks info NAME`: the type with its parameters (type, required, default, description) and the
// keys every check takes. Exit 2 when no type has that name (the message suggests the closest).
int RunChecksInfo(const ChecksCommandOptions& options);

// The text `checks info` prints for one type (also used by `plugins info` for a plugin's checks).
std::string DescribeCheckType(const CheckType& type);

}  // namespace dqa::cli
