// The SDK's FuzzyClusterRequest: the JSON object a plugin hands to the host's fuzzy_clusters.
#include <gtest/gtest.h>

#include "dqaudit/plugin.h"

namespace dqa::sdk {
namespace {

TEST(FuzzyClusterRequestTest, WritesOnlyWhatIsGivenAsJson) {
  FuzzyClusterRequest r;
  r.name = "ho_ten";
  EXPECT_EQ(r.ToJson(), R"({"name":"ho_ten"})");
  r.same = {"ngay_sinh"};
  r.also = {"ma_xa", "so_cccd"};
  r.threshold = 0.95;
  r.key = {"so_cccd"};
  EXPECT_EQ(r.ToJson(),
            R"({"name":"ho_ten","same":["ngay_sinh"],"also":["ma_xa","so_cccd"],)"
            R"("threshold":0.95,"key":["so_cccd"]})");
  r.name = "ho \"ten\"";  // quoted as JSON
  EXPECT_EQ(r.ToJson().substr(0, 20), R"({"name":"ho \"ten\"")");
}

}  // namespace
}  // namespace dqa::sdk
