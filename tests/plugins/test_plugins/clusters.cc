// clusters.records: asks the host for the fuzzy-duplicate clusters of a table (ABI 1.2, the SDK's
// Query::FuzzyClusters) and reports them whole, so that the host tests see every field the SDK
// read: one sample per clustered record, "group|key...|matched_with|probability|agreement";
// violations = clustered records, rows_checked = clusters. `raw` hands the parameters to the host
// as written (to test its validation) instead of building them with FuzzyClusterRequest.
#include <dqaudit/plugin.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

class RecordsCheck : public dqa::sdk::QueryCheck {
 public:
  explicit RecordsCheck(const dqa::sdk::Params& p)
      : table_(p.GetString("of")), raw_(p.GetString("raw", "")) {
    request_.name = p.GetString("name", "ho_ten");
    request_.same = p.GetStringList("same");
    request_.also = p.GetStringList("also");
    if (p.Has("threshold")) request_.threshold = p.GetNumber("threshold");
    request_.key = p.GetStringList("key");
  }
  void Run(const dqa::sdk::Query& query, dqa::sdk::Result& result) override {
    if (!raw_.empty()) {
      int64_t rows = 0;
      query.ForEachClusterRow(table_, raw_, [&](const dqa::sdk::Row&) { ++rows; });
      result.SetCounts(rows, 0);
      return;
    }
    const std::vector<dqa::sdk::ClusterRecord> records = query.FuzzyClusters(table_, request_);
    int64_t groups = 0;
    for (const dqa::sdk::ClusterRecord& r : records) {
      groups = r.group > groups ? r.group : groups;
      std::string line = std::to_string(r.group);
      for (const std::string& k : r.key) line += "|" + k;
      char probability[32];
      std::snprintf(probability, sizeof(probability), "%.2f", r.probability);
      line += "|" + r.matched_with + "|" + probability + "|" + r.agreement;
      result.AddSample({line});
    }
    result.SetCounts(static_cast<int64_t>(records.size()), groups);
  }

 private:
  std::string table_, raw_;
  dqa::sdk::FuzzyClusterRequest request_;
};

}  // namespace

DQA_PLUGIN("clusters", "1.0.0", "clusters", "Asks the host for fuzzy-duplicate clusters",
           dqa::sdk::MakeQueryCheck<RecordsCheck>(
               "records", "Every clustered record", "uniqueness",
               {{"of", dqa::sdk::ParamType::kString, true, "table, may be alias.table"},
                {"name", dqa::sdk::ParamType::kString, false, "full-name column"},
                {"same", dqa::sdk::ParamType::kStringList, false, "fields that must agree"},
                {"also", dqa::sdk::ParamType::kStringList, false, "fields that add evidence"},
                {"threshold", dqa::sdk::ParamType::kNumber, false, "match probability"},
                {"key", dqa::sdk::ParamType::kStringList, false, "key columns"},
                {"raw", dqa::sdk::ParamType::kString, false, "the parameters as JSON text"}}))
