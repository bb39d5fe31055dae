// Dates as Vietnamese registers write them: the SDK's dqaudit/date_text.h, in this plugin's namespace.
#pragma once

#include "dqaudit/date_text.h"

namespace dqa::social_protection {

using sdk::DateFormat;
using sdk::ParseDateFormat;
using sdk::ParseDay;

}  // namespace dqa::social_protection
