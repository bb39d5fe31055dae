// Dates as Vietnamese registers write them: the SDK's dqaudit/date_text.h, in this plugin's namespace.
#pragma once

#include "dqaudit/date_text.h"

namespace dqa::civil_registration {

using sdk::DateFormat;
using sdk::ParseDateFormat;
using sdk::ParseDay;

}  // namespace dqa::civil_registration
