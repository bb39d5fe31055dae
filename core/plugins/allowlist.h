// Plugin trust: the optional plugins.allow beside plugin libraries lists the SHA-256 of each
// library that may be loaded from that directory.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/util/status.h"

namespace dqa::plugins {

inline constexpr std::string_view kAllowlistName = "plugins.allow";

struct AllowlistEntry {
  std::string sha256;  // 64 lower-case hex digits
  std::string name;    // the file name written after it (informational)
};

// Parses sha256sum's output format: one "<64 hex digits>  <file name>" (or " *<file name>") a
// line; blank lines and lines starting with '#' are skipped. InvalidArgument
// "<path>:<line>: ..." for the first malformed line.
Result<std::vector<AllowlistEntry>> ParseAllowlist(std::string_view text, const std::string& path);

// OK when the directory of `file` (absolute, canonical) has no plugins.allow, or when it has one
// that lists the SHA-256 of `file`'s content (whatever name it is listed under). Otherwise
// InvalidArgument naming the file, its hash and the allowlist: hash not listed, allowlist
// malformed or unreadable, or (unless allow_unsafe) the allowlist is group/world-writable or owned
// by another user than the current one or root.
Status CheckPluginAllowed(const std::string& file, bool allow_unsafe);

}  // namespace dqa::plugins
