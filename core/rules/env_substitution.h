// ${NAME} in rule values: environment variables substituted at load time (docs/rules.md
// "Environment variables and secrets").
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "core/rules/diagnostics.h"

namespace dqa::rules {

// Replaces, in every scalar VALUE of `root` (map values and list items, at any depth; keys are
// never touched), each `${NAME}` (NAME = [A-Za-z_][A-Za-z0-9_]*) by the environment variable's
// value, and `$${` by a literal `${`. Problems are reported in `diags` at the scalar's position in
// `file`: "environment variable NAME is not set", or a `${` not followed by a name and `}`.
// Each substituted scalar is registered with Diagnostics::Redact, so that no later message of the
// loader echoes a value (a password) that came from the environment: they quote `${NAME}` instead.
void SubstituteEnvironment(YAML::Node root, const std::string& file, Diagnostics& diags);

}  // namespace dqa::rules
