#include "core/history/profiles.h"

namespace dqa {

Result<std::vector<std::string>> EarlierProfiles(HistoryStore& store, int64_t before_run,
                                                 const std::string& source,
                                                 const std::string& check_id, int limit) {
  DQA_ASSIGN_OR_RETURN(Statement query, store.db().Prepare(R"sql(
SELECT p.profile
FROM check_results r
JOIN check_profiles p ON p.result_id = r.id
JOIN sources s ON s.id = r.source_id
WHERE r.source = ? AND r.check_id = ? AND r.run_id < ? AND s.carried_from_run IS NULL
ORDER BY r.run_id DESC
LIMIT ?)sql"));
  DQA_RETURN_IF_ERROR(query.Bind(1, std::string_view(source)));
  DQA_RETURN_IF_ERROR(query.Bind(2, std::string_view(check_id)));
  DQA_RETURN_IF_ERROR(query.Bind(3, before_run));
  DQA_RETURN_IF_ERROR(query.Bind(4, static_cast<int64_t>(limit)));
  std::vector<std::string> profiles;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    profiles.emplace_back(query.ColumnText(0));
  }
  return profiles;
}

}  // namespace dqa
