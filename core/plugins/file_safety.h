// Permission checks a plugin file must pass before it is loaded (osquery's rule).
#pragma once

#include <string>

#include "core/util/status.h"

namespace dqa::plugins {

// OK when `path` (absolute, canonical) is a regular file that is not group- or world-writable, is
// owned by the effective user or by root, and whose directory is not world-writable. Otherwise
// InvalidArgument naming the file, the problem and the fix (chmod/chown, or
// --allow-unsafe-plugins); NotFound / IoError when it cannot be examined.
Status CheckPluginFileSafety(const std::string& path);

// Everything a plugin file must pass before any of its code runs (probe or load):
// CheckPluginFileSafety unless allow_unsafe, then CheckPluginAllowed (core/plugins/allowlist.h).
Status CheckPluginAdmission(const std::string& path, bool allow_unsafe);

}  // namespace dqa::plugins
