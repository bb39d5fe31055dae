// libFuzzer target: the table b-tree reader of core/sources/sqlite_btree.h on any bytes taken as a
// whole database image, from root page 2 (the first table a CREATE TABLE makes) and root page 1
// (sqlite_schema, a table b-tree in every database). Properties: no crash, no read outside the
// image, no undefined behaviour, no endless loop (libFuzzer's timeout); only Unavailable refusals;
// and when both calls succeed, the bounds split the rows into ranges whose sizes differ by at most
// one row and add up to the table's rows, and the leaves a digest keeps give it back unchanged.
#include <algorithm>
#include <cstdint>
#include <string>

#include "core/sources/sqlite_btree.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view image = dqa::fuzz::AsText(data, size);
  for (const uint32_t root : {2u, 1u}) {
    const dqa::Result<dqa::RowidBounds> bounds = dqa::ChooseRowidBoundsInImage(image, root, 5);
    const dqa::Result<dqa::RowidRangeDigests> whole = dqa::DigestRowidRangesInImage(image, root, {});
    for (const dqa::Status& s : {bounds.status(), whole.status()}) {
      DQA_FUZZ_CHECK(s.ok() || s.code() == dqa::StatusCode::kUnavailable, s.message());
    }
    if (!bounds.ok() || !whole.ok()) continue;
    const dqa::Result<dqa::RowidRangeDigests> split =
        dqa::DigestRowidRangesInImage(image, root, *bounds);
    DQA_FUZZ_CHECK(split.ok(), split.status().message());
    int64_t total = 0;
    int64_t smallest = INT64_MAX;
    int64_t largest = 0;
    for (const dqa::RowidRangeDigest& r : split->ranges) {
      total += r.row_count;
      smallest = std::min(smallest, r.row_count);
      largest = std::max(largest, r.row_count);
    }
    DQA_FUZZ_CHECK(total == whole->ranges[0].row_count, "range sizes do not add up");
    DQA_FUZZ_CHECK(largest - smallest <= 1, "uneven ranges");
    // The leaves it kept, given back: the same digests from the kept parts.
    const dqa::KeptLeaves kept_leaves = dqa::KeptLeaves::Encoded(split->leaves);
    const dqa::Result<dqa::RowidRangeDigests> kept =
        dqa::DigestRowidRangesInImage(image, root, *bounds, &kept_leaves);
    DQA_FUZZ_CHECK(kept.ok(), kept.status().message());
    DQA_FUZZ_CHECK(kept->ranges == split->ranges, "kept leaves change the digests");
    DQA_FUZZ_CHECK(kept->leaves_reused == static_cast<int64_t>(split->leaves.size()),
                   "kept leaves not taken");
  }
  return 0;
}
