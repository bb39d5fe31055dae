#include "core/sources/sqlite_btree.h"

#include "core/util/record_hash.h"

#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <bit>
#include <thread>
#include <array>
#include <cstring>
#include <limits>
#include <utility>

namespace dqa {
namespace {

// Deeper than any real table b-tree (a 512-byte page still fans out ~30 ways: depth 13 holds
// 2^63 rows), so a deeper descent can only be a cycle or corruption.
constexpr size_t kMaxDepth = 64;
// SQLite never stores a record larger than 2^31 - 1 bytes (SQLITE_MAX_LENGTH's hard limit).
constexpr uint64_t kMaxPayload = 0x7fffffff;
constexpr unsigned char kWalFrameHeaderSize = 24;
constexpr unsigned char kJournalMagic[8] = {0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7};
constexpr unsigned char kInteriorTable = 0x05;
constexpr unsigned char kLeafTable = 0x0d;

uint32_t Get16(const unsigned char* p) { return (uint32_t{p[0]} << 8) | p[1]; }
uint32_t Get32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// An SQLite varint (1 to 9 bytes, big-endian groups of 7 bits, the 9th byte whole) at `p`, not
// reading at or past `end`; false when it runs past `end`.
bool GetVarint(const unsigned char*& p, const unsigned char* end, uint64_t& value) {
  value = 0;
  for (int i = 0; i < 8; ++i) {
    if (p >= end) return false;
    const unsigned char byte = *p++;
    value = (value << 7) | (byte & 0x7f);
    if ((byte & 0x80) == 0) return true;
  }
  if (p >= end) return false;
  value = (value << 8) | *p++;
  return true;
}

// GetVarint with the one- to three-byte forms inline (every record size and rowid below 2^21).
inline bool GetVarintInline(const unsigned char*& p, const unsigned char* end, uint64_t& value) {
  if (end - p >= 3) [[likely]] {
    if (p[0] < 0x80) {
      value = p[0];
      p += 1;
      return true;
    }
    if (p[1] < 0x80) {
      value = (uint64_t{p[0] & 0x7fu} << 7) | p[1];
      p += 2;
      return true;
    }
    if (p[2] < 0x80) {
      value = (uint64_t{p[0] & 0x7fu} << 14) | (uint64_t{p[1] & 0x7fu} << 7) | p[2];
      p += 3;
      return true;
    }
  }
  return GetVarint(p, end, value);
}

// Where the bytes come from: the file (pread into buffers) or an image in memory.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t Size() const = 0;
  // `len` bytes at `offset` (offset + len <= Size(), checked by the caller), valid until the next
  // Read with the same `slot` (0: b-tree pages, 1: overflow pages, 2: the header).
  virtual Result<const unsigned char*> Read(uint64_t offset, size_t len, int slot) = 0;
  // Another reader of the same bytes, with buffers of its own: for a second thread.
  virtual std::unique_ptr<ByteSource> Clone() const = 0;
};

class ImageSource : public ByteSource {
 public:
  explicit ImageSource(std::string_view image) : image_(image) {}
  uint64_t Size() const override { return image_.size(); }
  Result<const unsigned char*> Read(uint64_t offset, size_t, int) override {
    return reinterpret_cast<const unsigned char*>(image_.data()) + offset;
  }
  std::unique_ptr<ByteSource> Clone() const override {
    return std::make_unique<ImageSource>(image_);
  }

 private:
  std::string_view image_;
};

class FileSource : public ByteSource {
 public:
  FileSource(const ReadOnlyFile& file, uint64_t size) : file_(file), size_(size) {}
  uint64_t Size() const override { return size_; }
  Result<const unsigned char*> Read(uint64_t offset, size_t len, int slot) override {
    std::vector<unsigned char>& buf = buffers_[static_cast<size_t>(slot)];
    if (buf.size() < len) buf.resize(len);
    DQA_ASSIGN_OR_RETURN(size_t got, file_.ReadAt(buf.data(), len, offset));
    // The file shrank after it was measured: a writer is at work.
    if (got < len) return Unavailable(fmt::format("short read at offset {}", offset));
    return static_cast<const unsigned char*>(buf.data());
  }
  std::unique_ptr<ByteSource> Clone() const override {
    return std::make_unique<FileSource>(file_, size_);
  }

 private:
  const ReadOnlyFile& file_;
  uint64_t size_;
  std::array<std::vector<unsigned char>, 3> buffers_;
};

// The rowids a subtree may hold: (lo, hi], each end unbounded when absent.
struct KeyRange {
  std::optional<int64_t> lo;  // exclusive
  std::optional<int64_t> hi;  // inclusive
  bool Holds(int64_t key) const { return (!lo || key > *lo) && (!hi || key <= *hi); }
};

// A b-tree page's header, parsed and checked.
struct PageView {
  uint32_t pgno = 0;
  const unsigned char* data = nullptr;  // the page's first byte (page 1: the file header)
  unsigned char type = 0;
  uint32_t cell_count = 0;
  uint32_t cell_array = 0;  // offset of the cell pointer array in the page
  uint32_t right_child = 0;
};

// An interior page decoded: its children in key order with the rowids each may hold.
struct Frame {
  std::vector<uint32_t> children;
  std::vector<KeyRange> ranges;
  size_t next = 0;
};

// One table b-tree in a database image, read defensively: every offset is checked against the
// page's usable size before it is read, every page number against the page count, and every page
// is entered at most once.
class TableBtree {
 public:
  static Result<TableBtree> Open(ByteSource& source) {
    if (source.Size() < 100) return Unavailable("not an SQLite database (shorter than its header)");
    DQA_ASSIGN_OR_RETURN(const unsigned char* h, source.Read(0, 100, 2));
    static constexpr char kMagic[] = "SQLite format 3";
    if (std::memcmp(h, kMagic, sizeof kMagic) != 0) {
      return Unavailable("not an SQLite database (no SQLite header)");
    }
    uint32_t page_size = Get16(h + 16);
    if (page_size == 1) page_size = 65536;
    if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0) {
      return Unavailable(fmt::format("invalid page size {}", page_size));
    }
    const uint32_t usable = page_size - h[20];
    // The spill formula below assumes the payload fractions every SQLite version writes.
    if (usable < 480 || h[21] != 64 || h[22] != 32 || h[23] != 32) {
      return Unavailable("unsupported header (usable size or payload fractions)");
    }
    uint64_t pages = source.Size() / page_size;
    // The in-header database size, when valid, is what SQLite reads; pages past it are not part
    // of the database.
    const uint32_t header_pages = Get32(h + 28);
    if (header_pages != 0 && Get32(h + 92) == Get32(h + 24)) pages = std::min<uint64_t>(pages, header_pages);
    pages = std::min<uint64_t>(pages, std::numeric_limits<uint32_t>::max());
    return TableBtree(source, page_size, usable, static_cast<uint32_t>(pages));
  }

  uint32_t usable() const { return usable_; }

  // Enters page `pgno` once: out of range or already entered is corruption.
  Status Enter(uint32_t pgno) {
    if (pgno == 0 || pgno > page_count_) {
      return Unavailable(fmt::format("page {} out of range (the database has {})", pgno, page_count_));
    }
    uint64_t& word = seen_[pgno / 64];
    const uint64_t bit = uint64_t{1} << (pgno % 64);
    if (word & bit) return Unavailable(fmt::format("page {} reached twice (a cycle)", pgno));
    word |= bit;
    ++pages_read_;
    return Status::Ok();
  }

  // The first `len` bytes of page `pgno` (already entered), `len` <= the page size.
  Result<const unsigned char*> Page(uint32_t pgno, size_t len, int slot) {
    return source_.Read(uint64_t{pgno - 1} * page_size_, len, slot);
  }

  // Page `pgno`'s b-tree header; with `whole`, the whole usable page is read, else only the header
  // (a leaf's cell count). Anything but a table page is refused: an index page at the root is a
  // WITHOUT ROWID table or an index.
  Result<PageView> ReadBtreePage(uint32_t pgno, bool whole) {
    const uint32_t offset = pgno == 1 ? 100 : 0;
    DQA_ASSIGN_OR_RETURN(const unsigned char* p, Page(pgno, whole ? usable_ : offset + 12, 0));
    PageView view;
    view.pgno = pgno;
    view.data = p;
    view.type = p[offset];
    if (view.type != kInteriorTable && view.type != kLeafTable) {
      return Unavailable(fmt::format("page {} is not a table b-tree page (type 0x{:02x}): not a "
                                     "rowid table", pgno, view.type));
    }
    if (view.type == kInteriorTable && !whole) return ReadBtreePage(pgno, true);
    view.cell_count = Get16(p + offset + 3);
    view.cell_array = offset + (view.type == kInteriorTable ? 12 : 8);
    if (view.type == kInteriorTable) view.right_child = Get32(p + offset + 8);
    if (view.cell_array + 2 * view.cell_count > usable_) {
      return Unavailable(fmt::format("page {}: {} cells do not fit", pgno, view.cell_count));
    }
    return view;
  }

  // The offset of cell `i` of `view` (read whole), checked to lie after the cell pointer array and
  // inside the usable size.
  // The offset of cell `i` of `view`, when it points past the cell array and inside the page.
  std::optional<uint32_t> CellPointer(const PageView& view, uint32_t i) const {
    const uint32_t cell = Get16(view.data + view.cell_array + 2 * i);
    if (cell < view.cell_array + 2 * view.cell_count || cell >= usable_) [[unlikely]] {
      return std::nullopt;
    }
    return cell;
  }
  Result<uint32_t> CellOffset(const PageView& view, uint32_t i) const {
    const std::optional<uint32_t> cell = CellPointer(view, i);
    if (!cell) {
      return Unavailable(fmt::format("page {}: cell {} points outside the page", view.pgno, i));
    }
    return *cell;
  }

  // The children of interior page `view` with the rowids each may hold, within `range`.
  Result<Frame> DecodeInterior(const PageView& view, const KeyRange& range) const {
    Frame frame;
    frame.children.reserve(view.cell_count + 1);
    frame.ranges.reserve(view.cell_count + 1);
    KeyRange child{range.lo, std::nullopt};
    const unsigned char* end = view.data + usable_;
    for (uint32_t i = 0; i < view.cell_count; ++i) {
      DQA_ASSIGN_OR_RETURN(uint32_t cell, CellOffset(view, i));
      const unsigned char* p = view.data + cell;
      uint64_t key = 0;
      const bool fits = cell + 4 <= usable_ && GetVarint(p += 4, end, key);
      if (!fits) return Unavailable(fmt::format("page {}: cell {} runs past the page", view.pgno, i));
      const auto k = static_cast<int64_t>(key);
      // Keys in order and inside the parent's range; the left child holds rowids <= k.
      if ((child.lo && k < *child.lo) || (range.hi && k > *range.hi)) {
        return Unavailable(fmt::format("page {}: key {} out of order", view.pgno, k));
      }
      child.hi = k;
      frame.children.push_back(Get32(view.data + cell));
      frame.ranges.push_back(child);
      child.lo = k;
    }
    child.hi = range.hi;
    frame.children.push_back(view.right_child);
    frame.ranges.push_back(child);
    return frame;
  }

  // Calls `on_leaf(const PageView&, const KeyRange&)` for every leaf page in key order (read whole
  // with `whole_leaves`, else only its header). Depth-first with an explicit stack: bounded by
  // kMaxDepth, and Enter stops cycles.
  // With `from` / `to`, subtrees that can hold no rowid in [from, to] are not read.
  template <typename OnLeaf>
  Status ForEachLeaf(uint32_t root, bool whole_leaves, OnLeaf&& on_leaf,
                     std::optional<int64_t> from = std::nullopt,
                     std::optional<int64_t> to = std::nullopt) {
    std::vector<Frame> stack;
    uint32_t pgno = root;
    KeyRange range;
    while (true) {
      DQA_RETURN_IF_ERROR(Enter(pgno));
      DQA_ASSIGN_OR_RETURN(PageView view, ReadBtreePage(pgno, whole_leaves));
      if (view.type == kInteriorTable) {
        if (stack.size() >= kMaxDepth) {
          return Unavailable(fmt::format("b-tree deeper than {} levels", kMaxDepth));
        }
        DQA_ASSIGN_OR_RETURN(Frame frame, DecodeInterior(view, range));
        if (from || to) {
          // A child holds rowids in (lo, hi]: none in [from, to] when hi < from or lo >= to.
          Frame kept;
          for (size_t c = 0; c < frame.children.size(); ++c) {
            const KeyRange& r = frame.ranges[c];
            if ((from && r.hi && *r.hi < *from) || (to && r.lo && *r.lo >= *to)) continue;
            kept.children.push_back(frame.children[c]);
            kept.ranges.push_back(r);
          }
          frame = std::move(kept);
        }
        stack.push_back(std::move(frame));
      } else {
        DQA_RETURN_IF_ERROR(on_leaf(view, range));
      }
      while (!stack.empty() && stack.back().next == stack.back().children.size()) stack.pop_back();
      if (stack.empty()) return Status::Ok();
      Frame& top = stack.back();
      pgno = top.children[top.next];
      range = top.ranges[top.next];
      ++top.next;
    }
  }

  // A leaf cell's rowid and record, with the record's local part in the page.
  struct LeafCell {
    int64_t rowid = 0;
    uint64_t payload_size = 0;
    const unsigned char* local = nullptr;
    uint32_t local_size = 0;
    uint32_t first_overflow = 0;  // 0 when the record is all local
  };

  // What is wrong with a leaf cell (ParseLeafCell).
  enum class CellFault { kNone, kOutsidePage, kRunsPast, kOutOfOrder, kTooLarge };

  // Cell `i` of leaf `view` (read whole) into `out`; its rowid must lie in `range`. Inline and
  // without error text, for the loop over every row of a table: kNone, else what is wrong
  // (ReadLeafCell says it).
  CellFault ParseLeafCell(const PageView& view, uint32_t i, const KeyRange& range,
                          LeafCell& out) const {
    const std::optional<uint32_t> cell = CellPointer(view, i);
    if (!cell) [[unlikely]] return CellFault::kOutsidePage;
    const unsigned char* p = view.data + *cell;
    const unsigned char* end = view.data + usable_;
    uint64_t rowid = 0;
    if (!GetVarintInline(p, end, out.payload_size) || !GetVarintInline(p, end, rowid))
        [[unlikely]] {
      return CellFault::kRunsPast;
    }
    out.rowid = static_cast<int64_t>(rowid);
    if (!range.Holds(out.rowid)) [[unlikely]] return CellFault::kOutOfOrder;
    if (out.payload_size > kMaxPayload) [[unlikely]] return CellFault::kTooLarge;
    // The spill formula of the file format (fileformat2 "B-tree Pages"), for table leaves.
    const uint64_t x = usable_ - 35;
    uint64_t local = out.payload_size;
    if (local > x) {
      const uint64_t m = ((uint64_t{usable_} - 12) * 32 / 255) - 23;
      const uint64_t k = m + ((out.payload_size - m) % (usable_ - 4));
      local = k <= x ? k : m;
    }
    const uint64_t room = static_cast<uint64_t>(end - p);
    if (local + (local < out.payload_size ? 4 : 0) > room) [[unlikely]] {
      return CellFault::kRunsPast;
    }
    out.local = p;
    out.local_size = static_cast<uint32_t>(local);
    out.first_overflow = local < out.payload_size ? Get32(p + local) : 0;
    return CellFault::kNone;
  }

  // The same, with Unavailable saying what is wrong.
  Result<LeafCell> ReadLeafCell(const PageView& view, uint32_t i, const KeyRange& range) const {
    LeafCell out;
    switch (ParseLeafCell(view, i, range, out)) {
      case CellFault::kNone:
        return out;
      case CellFault::kOutsidePage:
        return Unavailable(fmt::format("page {}: cell {} points outside the page", view.pgno, i));
      case CellFault::kRunsPast:
        return Unavailable(fmt::format("page {}: cell {} runs past the page", view.pgno, i));
      case CellFault::kOutOfOrder:
        return Unavailable(fmt::format("page {}: rowid {} out of order", view.pgno, out.rowid));
      case CellFault::kTooLarge:
        return Unavailable(fmt::format("page {}: record of {} bytes", view.pgno, out.payload_size));
    }
    return Internal("unknown cell fault");
  }

  // Feeds the overflow part of `cell` to `hasher`: exactly as many pages as the record needs, the
  // last one ending the chain.
  Status HashOverflow(const LeafCell& cell, RecordHasher& hasher) {
    uint64_t remaining = cell.payload_size - cell.local_size;
    uint32_t pgno = cell.first_overflow;
    const uint32_t chunk = usable_ - 4;
    while (remaining > 0) {
      if (pgno == 0) return Unavailable("overflow chain shorter than its record");
      DQA_RETURN_IF_ERROR(Enter(pgno));
      DQA_ASSIGN_OR_RETURN(const unsigned char* p, Page(pgno, usable_, 1));
      const auto take = static_cast<uint32_t>(std::min<uint64_t>(remaining, chunk));
      hasher.Update(p + 4, take);
      remaining -= take;
      pgno = Get32(p);
    }
    if (pgno != 0) return Unavailable("overflow chain longer than its record");
    return Status::Ok();
  }

  int64_t pages_read() const { return pages_read_; }
  // Starts another walk from the root (a chunk of Digest): a page the earlier walks entered may be
  // entered again (a cycle is one within a walk), and counts once in seen() (pages_read() counts
  // every entry).
  void StartWalk() {
    if (walked_.empty()) walked_.assign(seen_.size(), 0);
    for (size_t w = 0; w < seen_.size(); ++w) {
      walked_[w] |= seen_[w];
      seen_[w] = 0;
    }
  }
  // The pages entered by every walk, one bit per page number.
  std::vector<uint64_t> seen() const {
    std::vector<uint64_t> out = seen_;
    for (size_t w = 0; w < walked_.size(); ++w) out[w] |= walked_[w];
    return out;
  }

 private:
  TableBtree(ByteSource& source, uint32_t page_size, uint32_t usable, uint32_t page_count)
      : source_(source),
        page_size_(page_size),
        usable_(usable),
        page_count_(page_count),
        seen_(page_count / 64 + 1, 0) {}

  ByteSource& source_;
  uint32_t page_size_;
  uint32_t usable_;
  uint32_t page_count_;
  std::vector<uint64_t> seen_;    // this walk's pages
  std::vector<uint64_t> walked_;  // the earlier walks' (StartWalk)
  int64_t pages_read_ = 0;
};

Status CheckBounds(const RowidBounds& bounds) {
  for (size_t i = 1; i < bounds.size(); ++i) {
    if (bounds[i] <= bounds[i - 1]) {
      return InvalidArgument(fmt::format("rowid bounds not strictly increasing at {}", i));
    }
  }
  return Status::Ok();
}

Result<RowidBounds> ChooseBounds(ByteSource& source, uint32_t root_page, int ranges) {
  if (ranges < 1) return InvalidArgument(fmt::format("{} ranges: at least 1", ranges));
  DQA_ASSIGN_OR_RETURN(TableBtree tree, TableBtree::Open(source));
  struct Leaf {
    uint32_t pgno;
    uint32_t cells;
    KeyRange range;
  };
  std::vector<Leaf> leaves;
  uint64_t total = 0;
  const auto count_leaf = [&](const PageView& v, const KeyRange& r) {
    leaves.push_back({v.pgno, v.cell_count, r});
    total += v.cell_count;
    return Status::Ok();
  };
  DQA_RETURN_IF_ERROR(tree.ForEachLeaf(root_page, false, count_leaf));
  // Range j - 1 ends before row floor(j * total / ranges) (0-based in rowid order); its rowid is
  // bound j. Targets are non-decreasing, so one walk over the leaves finds them all.
  RowidBounds bounds;
  size_t leaf = 0;
  uint64_t before = 0;  // rows in leaves[0 .. leaf)
  for (int j = 1; j < ranges; ++j) {
    const uint64_t target = total * static_cast<uint64_t>(j) / static_cast<uint64_t>(ranges);
    if (target == 0) continue;
    while (before + leaves[leaf].cells <= target) before += leaves[leaf++].cells;
    // The cut falls in this leaf: read its cells (once more; it was entered above).
    DQA_ASSIGN_OR_RETURN(PageView view, tree.ReadBtreePage(leaves[leaf].pgno, true));
    if (view.cell_count != leaves[leaf].cells) return Unavailable("leaf changed while read");
    DQA_ASSIGN_OR_RETURN(auto cell, tree.ReadLeafCell(view, static_cast<uint32_t>(target - before),
                                                      leaves[leaf].range));
    if (!bounds.empty() && cell.rowid <= bounds.back()) {
      if (cell.rowid == bounds.back()) continue;  // fewer rows than ranges: the same cut again
      return Unavailable(fmt::format("page {}: rowids out of order", view.pgno));
    }
    bounds.push_back(cell.rowid);
  }
  return bounds;
}

// The digests of the ranges of `bounds` that lie in [from, to) (rows outside are skipped, and
// subtrees holding none are not read): `from` must be the start of a range and `to` the end of
// one. The pages entered are in tree.seen(). A leaf of `previous` (LeafMemo) whose bytes are
// unchanged adds its kept part instead of its cells; out.leaves gets the leaves to keep.
Result<RowidRangeDigests> DigestSpan(TableBtree& tree, uint32_t root_page, const RowidBounds& bounds,
                                     std::optional<int64_t> from, std::optional<int64_t> to,
                                     const KeptLeaves* previous_leaves) {
  RowidRangeDigests out;
  out.ranges.resize(bounds.size() + 1);
  size_t range = 0;
  std::optional<int64_t> previous;
  const auto add = [](Hash128& sum, const Hash128& part) {
    sum.high += part.high;
    sum.low += part.low;
  };
  // The kept part of leaf `v` (hashed `page`) when it can stand for its cells, else nullopt.
  const auto kept = [&](const PageView& v, const Hash128& page,
                        const KeyRange& r) -> std::optional<LeafDigest> {
    if (previous_leaves == nullptr) return std::nullopt;
    const std::optional<LeafDigest> it = previous_leaves->Find(v.pgno);
    if (!it || !(it->page == page) || it->cells != v.cell_count || it->cells == 0 ||
        it->first_rowid > it->last_rowid) {
      return std::nullopt;
    }
    // Its rows in order after those met, inside the subtree's rowids and the span read, and in
    // one range.
    if ((previous && it->first_rowid <= *previous) || !r.Holds(it->first_rowid) ||
        !r.Holds(it->last_rowid) || (from && it->first_rowid < *from) ||
        (to && it->last_rowid >= *to)) {
      return std::nullopt;
    }
    size_t at = range;
    while (at < bounds.size() && it->first_rowid >= bounds[at]) ++at;
    if (at < bounds.size() && it->last_rowid >= bounds[at]) return std::nullopt;
    return it;
  };
  const auto hash_leaf = [&](const PageView& v, const KeyRange& r) {
    const Hash128 page = BulkHash128(v.data, tree.usable());
    if (const std::optional<LeafDigest> leaf = kept(v, page, r)) {
      while (range < bounds.size() && leaf->first_rowid >= bounds[range]) ++range;
      RowidRangeDigest& digest = out.ranges[range];
      if (!digest.first_rowid) digest.first_rowid = leaf->first_rowid;
      digest.last_rowid = leaf->last_rowid;
      digest.row_count += leaf->cells;
      add(digest.hash, leaf->part);
      out.payload_bytes += static_cast<int64_t>(leaf->payload);
      previous = leaf->last_rowid;
      out.leaves.push_back(*leaf);
      ++out.leaves_reused;
      return Status::Ok();
    }
    LeafDigest leaf{v.pgno, v.cell_count, page};
    // Whether the page can be kept: every record local, every row read and in one range.
    bool keep = v.cell_count > 0;
    std::optional<size_t> leaf_range;
    TableBtree::LeafCell cell;
    for (uint32_t i = 0; i < v.cell_count; ++i) {
      if (tree.ParseLeafCell(v, i, r, cell) != TableBtree::CellFault::kNone) [[unlikely]] {
        return tree.ReadLeafCell(v, i, r).status();
      }
      if (previous && cell.rowid <= *previous) {
        return Unavailable(fmt::format("page {}: rowid {} out of order", v.pgno, cell.rowid));
      }
      previous = cell.rowid;
      if ((from && cell.rowid < *from) || (to && cell.rowid >= *to)) {
        keep = false;
        continue;
      }
      while (range < bounds.size() && cell.rowid >= bounds[range]) ++range;
      if (leaf_range && *leaf_range != range) keep = false;
      leaf_range = range;
      RowidRangeDigest& digest = out.ranges[range];
      if (!digest.first_rowid) digest.first_rowid = cell.rowid;
      digest.last_rowid = cell.rowid;
      ++digest.row_count;
      // The record's bytes hashed by RecordHash (its size the seed), then (rowid, that hash) as
      // the row's part of the range's sum (RowPart). A record longer than its local part has a
      // chain, even when its first pointer reads 0; RecordHasher hashes it as RecordHash would the
      // whole.
      uint64_t record = 0;
      if (cell.local_size == cell.payload_size) {
        record = RecordHash(cell.local, cell.local_size, cell.payload_size);
      } else {
        keep = false;
        RecordHasher whole(cell.payload_size, cell.payload_size);
        whole.Update(cell.local, cell.local_size);
        DQA_RETURN_IF_ERROR(tree.HashOverflow(cell, whole));
        record = whole.Finish();
      }
      const Hash128 part = RowPart(static_cast<uint64_t>(cell.rowid), record);
      add(digest.hash, part);
      add(leaf.part, part);
      leaf.payload += cell.payload_size;
      if (i == 0) leaf.first_rowid = cell.rowid;
      leaf.last_rowid = cell.rowid;
      out.payload_bytes += static_cast<int64_t>(cell.payload_size);
    }
    if (keep) out.leaves.push_back(leaf);
    return Status::Ok();
  };
  DQA_RETURN_IF_ERROR(tree.ForEachLeaf(root_page, true, hash_leaf, from,
                                       to ? std::optional<int64_t>(*to - 1) : std::nullopt));
  return out;
}

// Puts `leaves` (met in key order) in page order, as LeafMemo keeps them: a table written in
// rowid order has them so already, and is not sorted again.
void SortLeaves(LeafMemo& leaves) {
  const auto by_page = [](const LeafDigest& a, const LeafDigest& b) { return a.pgno < b.pgno; };
  if (!std::is_sorted(leaves.begin(), leaves.end(), by_page)) {
    std::sort(leaves.begin(), leaves.end(), by_page);
  }
}

// Every range's digest. A table of more than one range is read by two threads, each on its own
// reader (ByteSource::Clone), in chunks of consecutive ranges (about kDigestChunks of them, at least
// two ranges each) that each thread takes in order as it finishes the last: a part of the file that
// reads slower (pages the day's changes rewrote elsewhere, read in short pieces) holds up neither.
// The digests are those one thread gives (each range is hashed whole within one chunk).
constexpr size_t kDigestChunks = 16;

Result<RowidRangeDigests> Digest(ByteSource& source, uint32_t root_page, const RowidBounds& bounds,
                                 const KeptLeaves* previous_leaves) {
  DQA_RETURN_IF_ERROR(CheckBounds(bounds));
  DQA_ASSIGN_OR_RETURN(TableBtree tree, TableBtree::Open(source));
  if (bounds.size() < 2) {
    DQA_ASSIGN_OR_RETURN(RowidRangeDigests out,
                         DigestSpan(tree, root_page, bounds, std::nullopt, std::nullopt,
                                    previous_leaves));
    out.pages_read = tree.pages_read();
    SortLeaves(out.leaves);
    return out;
  }
  std::unique_ptr<ByteSource> other_source = source.Clone();
  DQA_ASSIGN_OR_RETURN(TableBtree other_tree, TableBtree::Open(*other_source));
  const size_t ranges = bounds.size() + 1;
  // (two ranges at least: a chunk's end is then the first rowid of a range after the first, above
  // the smallest int64)
  const size_t per_chunk = std::max<size_t>(2, (ranges + kDigestChunks - 1) / kDigestChunks);
  const size_t chunks = (ranges + per_chunk - 1) / per_chunk;
  RowidRangeDigests out;
  out.ranges.resize(ranges);
  std::atomic<size_t> next{0};
  // Digests the chunks `t` takes into their ranges of `out` (each range written by one thread).
  // The leaves each chunk keeps (each written by the thread that digests the chunk).
  std::vector<LeafMemo> chunk_leaves(chunks);
  const auto digest_chunks = [&](TableBtree& t, int64_t& payload, int64_t& reused) -> Status {
    for (size_t c = next.fetch_add(1); c < chunks; c = next.fetch_add(1)) {
      const size_t first = c * per_chunk;
      const size_t end = std::min(ranges, first + per_chunk);
      std::optional<int64_t> from, to;
      if (first > 0) from = bounds[first - 1];
      if (end < ranges) to = bounds[end - 1];
      t.StartWalk();
      Result<RowidRangeDigests> d = DigestSpan(t, root_page, bounds, from, to, previous_leaves);
      if (!d.ok()) {
        next = chunks;  // the other thread stops too
        return d.status();
      }
      for (size_t i = first; i < end; ++i) out.ranges[i] = std::move(d->ranges[i]);
      payload += d->payload_bytes;
      reused += d->leaves_reused;
      chunk_leaves[c] = std::move(d->leaves);
    }
    return Status::Ok();
  };
  int64_t payload[2] = {0, 0};
  int64_t reused[2] = {0, 0};
  Status second = Internal("not run");
  std::thread other([&] {
    try {
      second = digest_chunks(other_tree, payload[1], reused[1]);
    } catch (const std::exception& e) {
      next = chunks;
      second = Internal(e.what());
    }
  });
  Status first = Internal("not run");
  try {
    first = digest_chunks(tree, payload[0], reused[0]);
  } catch (const std::exception& e) {  // (the other thread is joined first, whatever)
    next = chunks;
    first = Internal(e.what());
  }
  other.join();
  DQA_RETURN_IF_ERROR(first);
  DQA_RETURN_IF_ERROR(second);
  out.payload_bytes = payload[0] + payload[1];
  out.leaves_reused = reused[0] + reused[1];
  // In key order (a leaf where a chunk's bounds fall is read by both threads, and kept by neither).
  size_t kept_leaves = 0;
  for (const LeafMemo& kept : chunk_leaves) kept_leaves += kept.size();
  out.leaves.reserve(kept_leaves);  // (2 MB for a province's citizens: allocated once, not grown)
  for (LeafMemo& kept : chunk_leaves) out.leaves.insert(out.leaves.end(), kept.begin(), kept.end());
  SortLeaves(out.leaves);
  // Pages both entered (the root, interior pages, the leaves a chunk's bounds fall in) count once.
  const std::vector<uint64_t> seen = tree.seen(), other_seen = other_tree.seen();
  for (size_t w = 0; w < seen.size(); ++w) out.pages_read += std::popcount(seen[w] | other_seen[w]);
  return out;
}

// The digests of the ranges of `bounds` within `span` (rows outside it are not read), on this
// thread: a span is a few ranges of a table, not worth a second reader.
Result<RowidRangeDigests> DigestWithin(ByteSource& source, uint32_t root_page,
                                       const RowidBounds& bounds, const RowidSpan& span,
                                       const KeptLeaves* previous_leaves) {
  DQA_RETURN_IF_ERROR(CheckBounds(bounds));
  if (span.first && span.last && *span.last < *span.first) {
    return InvalidArgument(fmt::format("empty rowid span {}..{}", *span.first, *span.last));
  }
  DQA_ASSIGN_OR_RETURN(TableBtree tree, TableBtree::Open(source));
  // DigestSpan's end is the first rowid after the span (none past the largest rowid).
  std::optional<int64_t> to;
  if (span.last && *span.last < std::numeric_limits<int64_t>::max()) to = *span.last + 1;
  DQA_ASSIGN_OR_RETURN(RowidRangeDigests out,
                       DigestSpan(tree, root_page, bounds, span.first, to, previous_leaves));
  out.pages_read = tree.pages_read();
  SortLeaves(out.leaves);
  return out;
}

// Unavailable when the rollback journal next to `path` is hot (its header is not zeroed): a writer
// is committing, or crashed mid-commit and SQLite would roll the file back before reading it.
Status CheckNoHotJournal(const std::string& path) {
  Result<ReadOnlyFile> journal = ReadOnlyFile::Open(path + "-journal");
  if (!journal.ok()) {
    if (journal.status().code() == StatusCode::kNotFound) return Status::Ok();
    return journal.status();
  }
  unsigned char magic[sizeof kJournalMagic] = {};
  DQA_ASSIGN_OR_RETURN(size_t got, journal->ReadAt(magic, sizeof magic, 0));
  if (got == sizeof magic && std::memcmp(magic, kJournalMagic, sizeof magic) == 0) {
    return Unavailable(fmt::format("{}-journal is hot: a write is in progress or was interrupted",
                                   path));
  }
  return Status::Ok();
}

// Unavailable when `<path>-wal` holds frames of the current WAL generation (the first frame's salts
// equal the header's): the committed database is then the file plus those frames.
Status CheckNoWalFrames(const std::string& path, const SqliteFileIdentity& identity) {
  if (!identity.wal || identity.wal->size <= 32) return Status::Ok();
  DQA_ASSIGN_OR_RETURN(ReadOnlyFile wal, ReadOnlyFile::Open(path + "-wal"));
  std::array<unsigned char, 32 + kWalFrameHeaderSize> head{};
  DQA_ASSIGN_OR_RETURN(size_t got, wal.ReadAt(head.data(), head.size(), 0));
  // A frame cut short or salts of a previous generation: no frame SQLite would read.
  if (got == head.size() && std::memcmp(head.data() + 16, head.data() + 32 + 8, 8) == 0) {
    return Unavailable(fmt::format("{}-wal holds committed frames: the file alone is not the "
                                   "database", path));
  }
  return Status::Ok();
}

// Reads through an open SQLite connection's own handle on its main database file
// (SQLITE_FCNTL_FILE_POINTER): no descriptor of ours on the file, so no lock of the connection's
// is dropped when we are done (POSIX drops all of a process's locks on a file at any close).
class SqliteHandleSource : public ByteSource {
 public:
  SqliteHandleSource(sqlite3_file* file, uint64_t size) : file_(file), size_(size) {}
  uint64_t Size() const override { return size_; }
  Result<const unsigned char*> Read(uint64_t offset, size_t len, int slot) override {
    if (slot == 0) return ReadAhead(offset, len);
    std::vector<unsigned char>& buf = buffers_[static_cast<size_t>(slot)];
    if (buf.size() < len) buf.resize(len);
    DQA_RETURN_IF_ERROR(ReadInto(buf.data(), offset, len));
    return static_cast<const unsigned char*>(buf.data());
  }
  // The unix VFS reads with pread, which two threads may call on one handle at once.
  std::unique_ptr<ByteSource> Clone() const override {
    return std::make_unique<SqliteHandleSource>(file_, size_);
  }

 private:
  // The b-tree pages (slot 0) come mostly in file order (a table's leaves are usually laid out one
  // after another): while each read lands a little after the last one, each file read fetches
  // more ahead (doubling up to kMaxAhead), so a table costs a few hundred reads per thread instead
  // of one per page; a read elsewhere starts again at the bytes asked for. The buffer is allocated
  // once at its largest: grown by doubling, it was 2 MB of fresh pages per thread, and a first
  // touch of a page costs some 15 microseconds on the project's virtual machine (1,000 page faults
  // were a quarter of a nightly worker's).
  static constexpr size_t kMaxAhead = size_t{256} << 10;
  static constexpr uint64_t kNear = 64 * 1024;
  Result<const unsigned char*> ReadAhead(uint64_t offset, size_t len) {
    const bool follows = offset > last_ && offset - last_ <= kNear;
    last_ = offset;
    if (offset >= ahead_offset_ && offset + len <= ahead_offset_ + ahead_size_) {
      return ahead_.data() + (offset - ahead_offset_);
    }
    ahead_span_ = follows ? std::min(std::max(ahead_span_ * 2, len), kMaxAhead) : len;
    size_t span = std::max(ahead_span_, len);
    if (offset < size_) span = std::max<uint64_t>(std::min<uint64_t>(span, size_ - offset), len);
    if (ahead_.size() < span) ahead_.resize(std::max(span, kMaxAhead));
    ahead_offset_ = offset;
    ahead_size_ = 0;
    DQA_RETURN_IF_ERROR(ReadInto(ahead_.data(), offset, span));
    ahead_size_ = span;
    return static_cast<const unsigned char*>(ahead_.data());
  }
  Status ReadInto(unsigned char* out, uint64_t offset, size_t len) {
    const int rc = file_->pMethods->xRead(file_, out, static_cast<int>(len),
                                          static_cast<sqlite3_int64>(offset));
    if (rc == SQLITE_IOERR_SHORT_READ) return Unavailable(fmt::format("short read at offset {}", offset));
    if (rc != SQLITE_OK) return IoError(fmt::format("read error {} at offset {}", rc, offset));
    return Status::Ok();
  }

  sqlite3_file* file_;
  uint64_t size_;
  std::array<std::vector<unsigned char>, 3> buffers_;
  std::vector<unsigned char> ahead_;  // slot 0: bytes ahead_offset_ .. + ahead_size_ of the file
  uint64_t ahead_offset_ = 0;
  size_t ahead_size_ = 0;
  size_t ahead_span_ = 0;  // the last file read's length
  uint64_t last_ = std::numeric_limits<uint64_t>::max();  // the offset asked for last
};

// Runs `read(source)` between two reads of the file's identity (`identify()`), after the WAL and
// journal checks; Unavailable when the identity changed meanwhile. `identity` receives it.
template <typename Identify, typename Read>
auto ReadPinned(const std::string& path, ByteSource& source, Identify&& identify,
                SqliteFileIdentity& identity, Read&& read) -> decltype(read(source)) {
  DQA_ASSIGN_OR_RETURN(SqliteFileIdentity before, identify());
  DQA_RETURN_IF_ERROR(CheckNoWalFrames(path, before));
  DQA_RETURN_IF_ERROR(CheckNoHotJournal(path));
  if (static_cast<uint64_t>(before.size) != source.Size()) {
    return Unavailable(fmt::format("{} changed while it was read", path));
  }
  auto result = read(source);
  if (!result.ok()) return result.status().WithContext(path);
  DQA_ASSIGN_OR_RETURN(SqliteFileIdentity after, identify());
  if (before.ToString() != after.ToString()) {
    return Unavailable(fmt::format("{} changed while it was read", path));
  }
  identity = std::move(after);
  return result;
}

// ReadPinned on the file at `path`, through a descriptor of our own.
template <typename Read>
auto ReadFilePinned(const std::string& path, SqliteFileIdentity& identity, Read&& read)
    -> decltype(read(std::declval<ByteSource&>())) {
  DQA_ASSIGN_OR_RETURN(ReadOnlyFile file, ReadOnlyFile::Open(path));
  DQA_ASSIGN_OR_RETURN(struct stat st, file.Stat());
  FileSource source(file, static_cast<uint64_t>(st.st_size));
  // The path's identity, and the descriptor must still be the file at the path.
  const auto identify = [&]() -> Result<SqliteFileIdentity> {
    DQA_ASSIGN_OR_RETURN(SqliteFileIdentity id, ReadSqliteFileIdentity(path));
    if (id.device != static_cast<uint64_t>(st.st_dev) || id.inode != static_cast<uint64_t>(st.st_ino)) {
      return Unavailable(fmt::format("{} was replaced while it was read", path));
    }
    return id;
  };
  return ReadPinned(path, source, identify, identity, read);
}

// The identity of the file at `path`, open as `file` by an SQLite connection: stat by path opens
// nothing; the header comes through the connection's handle.
Result<SqliteFileIdentity> IdentifyThroughHandle(sqlite3_file* file, const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Unavailable(fmt::format("{} disappeared", path));
  std::array<unsigned char, 100> header{};
  sqlite3_int64 now = 0;
  if (file->pMethods->xFileSize(file, &now) != SQLITE_OK || now != st.st_size) {
    return Unavailable(fmt::format("{} changed while it was read", path));
  }
  const size_t got = now >= 100 ? 100 : 0;
  if (got > 0 && file->pMethods->xRead(file, header.data(), 100, 0) != SQLITE_OK) {
    return IoError(fmt::format("{}: cannot read its header", path));
  }
  return SqliteFileIdentityFrom(path, st, header.data(), got);
}

// The open file of `schema` of `conn` inside its read transaction.
Result<sqlite3_file*> SnapshotFile(sqlite3* conn, const std::string& schema,
                                   const std::string& path) {
  if (sqlite3_get_autocommit(conn) != 0) {
    return InvalidArgument("range fingerprints read inside the connection's snapshot: call "
                           "BeginSnapshot first");
  }
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(conn, schema.c_str(), SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == nullptr || file->pMethods == nullptr) {
    return Unavailable(fmt::format("{}: the connection has no open database file", path));
  }
  return file;
}

// ReadPinned on the main database of `db`, through the connection's own file handle, inside its
// read transaction. The root page of `table` comes from sqlite_schema in the same snapshot.
template <typename Read>
auto ReadSnapshotPinned(sqlite3* conn, const std::string& schema, const std::string& path,
                        const std::string& table, SqliteFileIdentity& identity, Read&& read)
    -> decltype(read(std::declval<ByteSource&>(), 0u)) {
  DQA_ASSIGN_OR_RETURN(sqlite3_file * file, SnapshotFile(conn, schema, path));
  sqlite3_stmt* stmt = nullptr;
  const std::string sql = fmt::format(
      "SELECT rootpage FROM {}.sqlite_schema WHERE type = 'table' AND name = ?1", QuoteIdent(schema));
  sqlite3_prepare_v2(conn, sql.c_str(), -1, &stmt, nullptr);
  sqlite3_bind_text(stmt, 1, table.c_str(), -1, SQLITE_TRANSIENT);
  const int64_t root = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  if (root <= 0 || root > std::numeric_limits<uint32_t>::max()) {
    return NotFound(fmt::format("{}: no table {} with a b-tree of its own", path, table));
  }
  sqlite3_int64 size = 0;
  if (file->pMethods->xFileSize(file, &size) != SQLITE_OK) {
    return IoError(fmt::format("{}: cannot read its size", path));
  }
  SqliteHandleSource source(file, static_cast<uint64_t>(size));
  const auto identify = [&] { return IdentifyThroughHandle(file, path); };
  return ReadPinned(path, source, identify, identity, [&](ByteSource& s) {
    return read(s, static_cast<uint32_t>(root));
  });
}

}  // namespace

Result<RowidBounds> ChooseRowidBounds(const std::string& path, uint32_t root_page, int ranges) {
  SqliteFileIdentity identity;
  return ReadFilePinned(path, identity, [&](ByteSource& source) {
    return ChooseBounds(source, root_page, ranges);
  });
}

Result<RowidRangeDigests> DigestRowidRanges(const std::string& path, uint32_t root_page,
                                            const RowidBounds& bounds) {
  SqliteFileIdentity identity;
  DQA_ASSIGN_OR_RETURN(RowidRangeDigests digests, ReadFilePinned(path, identity, [&](ByteSource& source) {
    return Digest(source, root_page, bounds, nullptr);
  }));
  digests.identity = std::move(identity);
  return digests;
}

Result<SqliteFileIdentity> SnapshotFileIdentity(sqlite3* conn, const std::string& path,
                                                const std::string& schema) {
  DQA_ASSIGN_OR_RETURN(sqlite3_file * file, SnapshotFile(conn, schema, path));
  DQA_ASSIGN_OR_RETURN(SqliteFileIdentity identity, IdentifyThroughHandle(file, path));
  DQA_RETURN_IF_ERROR(CheckNoWalFrames(path, identity));
  DQA_RETURN_IF_ERROR(CheckNoHotJournal(path));
  return identity;
}

Result<RowidBounds> ChooseRowidBoundsInSnapshot(sqlite3* conn, const std::string& path,
                                                const std::string& table, int ranges) {
  SqliteFileIdentity identity;
  return ReadSnapshotPinned(conn, "main", path, table, identity,
                            [&](ByteSource& source, uint32_t root) {
                              return ChooseBounds(source, root, ranges);
                            });
}

Result<RowidRangeDigests> DigestRowidRangesInSnapshot(sqlite3* conn, const std::string& path,
                                                      const std::string& table,
                                                      const RowidBounds& bounds,
                                                      const std::string& schema,
                                                      const RowidSpan& span,
                                                      const KeptLeaves* previous_leaves) {
  SqliteFileIdentity identity;
  DQA_ASSIGN_OR_RETURN(RowidRangeDigests digests,
                       ReadSnapshotPinned(conn, schema, path, table, identity, [&](ByteSource& source, uint32_t root) {
                         return span.first || span.last
                                    ? DigestWithin(source, root, bounds, span, previous_leaves)
                                    : Digest(source, root, bounds, previous_leaves);
                       }));
  digests.identity = std::move(identity);
  return digests;
}

namespace {
constexpr std::string_view kLeafMemoMagic = "DQALEAF1";
constexpr size_t kLeafBytes = 64;
static_assert(2 * sizeof(uint32_t) + 7 * sizeof(uint64_t) == kLeafBytes);

// Gives each field of `leaf` (a LeafDigest, const or not) to `field`, in the memo's order (the
// page number first: KeptLeaves reads it in place).
template <typename Leaf, typename Field>
void ForEachLeafField(Leaf& leaf, Field&& field) {
  field(leaf.pgno);
  field(leaf.cells);
  field(leaf.page.high);
  field(leaf.page.low);
  field(leaf.first_rowid);
  field(leaf.last_rowid);
  field(leaf.part.high);
  field(leaf.part.low);
  field(leaf.payload);
}
}  // namespace

std::string EncodeLeafMemo(const LeafMemo& leaves) {
  std::string out(kLeafMemoMagic);
  out.reserve(out.size() + leaves.size() * kLeafBytes);
  for (const LeafDigest& d : leaves) {
    ForEachLeafField(d, [&out](const auto& v) {
      out.append(reinterpret_cast<const char*>(&v), sizeof v);
    });
  }
  return out;
}

std::optional<LeafMemo> DecodeLeafMemo(std::string_view bytes) {
  const std::optional<KeptLeaves> kept = KeptLeaves::Of(bytes);
  if (!kept) return std::nullopt;
  LeafMemo out;
  out.reserve(kept->size());
  for (size_t i = 0; i < kept->size(); ++i) out.push_back(kept->at(i));
  return out;
}

std::optional<KeptLeaves> KeptLeaves::Of(std::string_view bytes) {
  static_assert(kRecordBytes == kLeafBytes);
  if (!bytes.starts_with(kLeafMemoMagic)) return std::nullopt;
  bytes.remove_prefix(kLeafMemoMagic.size());
  if (bytes.size() % kLeafBytes != 0) return std::nullopt;
  KeptLeaves out;
  out.records_ = bytes;
  // (the page number is a record's first field: one pass over them checks the order)
  for (size_t i = 1; i < out.size(); ++i) {
    if (out.PageAt(i - 1) >= out.PageAt(i)) return std::nullopt;
  }
  return out;
}

KeptLeaves KeptLeaves::Encoded(const LeafMemo& leaves) {
  auto bytes = std::make_shared<const std::string>(EncodeLeafMemo(leaves));
  KeptLeaves out;
  out.records_ = std::string_view(*bytes).substr(kLeafMemoMagic.size());
  out.owned_ = std::move(bytes);
  return out;
}

uint32_t KeptLeaves::PageAt(size_t i) const {
  uint32_t pgno = 0;
  std::memcpy(&pgno, records_.data() + i * kRecordBytes, sizeof pgno);
  return pgno;
}

LeafDigest KeptLeaves::at(size_t i) const {
  LeafDigest leaf;
  const char* at = records_.data() + i * kRecordBytes;
  ForEachLeafField(leaf, [&at](auto& v) {
    std::memcpy(&v, at, sizeof v);
    at += sizeof v;
  });
  return leaf;
}

std::optional<LeafDigest> KeptLeaves::Find(uint32_t pgno) const {
  size_t lo = 0, hi = size();  // the first record of a page >= pgno is in [lo, hi]
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (PageAt(mid) < pgno) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == size() || PageAt(lo) != pgno) return std::nullopt;
  return at(lo);
}

Result<RowidBounds> ChooseRowidBoundsInImage(std::string_view image, uint32_t root_page,
                                             int ranges) {
  ImageSource source(image);
  return ChooseBounds(source, root_page, ranges);
}

Result<RowidRangeDigests> DigestRowidRangesInImage(std::string_view image, uint32_t root_page,
                                                   const RowidBounds& bounds,
                                                   const KeptLeaves* previous_leaves) {
  ImageSource source(image);
  return Digest(source, root_page, bounds, previous_leaves);
}

}  // namespace dqa
