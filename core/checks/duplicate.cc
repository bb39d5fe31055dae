// duplicate: rows that repeat the values of an earlier row in the key columns. Rows are counted in
// the fused scan; violations and groups come from one grouping query per key-column set. Text keys
// are compared after `normalize` (none, nfc, fold) through the source connection's dqa_nfc and
// dqa_fold functions (core/sources/sqlite_db.h).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <queue>
#include <functional>
#include <set>
#include <span>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "core/checks/check_support.h"
#include "core/checks/column_stats.h"
#include "core/util/murmur3.h"
#include "core/util/text.h"
#include "dqaudit/text.h"

namespace dqa {
namespace {

// How text keys are compared: as stored, in NFC, or in the caseless FoldView form.
enum class KeyForm { kNone, kNfc, kFold };

KeyForm ParseKeyForm(std::string_view text) {
  if (text == "none") return KeyForm::kNone;
  if (text == "fold") return KeyForm::kFold;
  return KeyForm::kNfc;
}

// SQLite's built-in collating sequences, the ones the key hashes and the merge of listed rows
// (ReadRowidsAndKeysSplit) know.
enum class Collation { kBinary, kNocase, kRtrim };

std::optional<Collation> BuiltInCollation(const std::string& name) {
  const std::string lower = sdk::ToLowerAscii(name);  // (SQLite looks names up so)
  if (lower == "binary") return Collation::kBinary;
  if (lower == "nocase") return Collation::kNocase;
  if (lower == "rtrim") return Collation::kRtrim;
  return std::nullopt;
}

// NOCASE folds ASCII letters only, as SQLite's.
unsigned char NocaseFold(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}

// RTRIM ignores trailing spaces (U+0020 only), as SQLite's.
std::string_view RtrimSpaces(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// Counts rows whose key columns are all non-NULL during the scan; violations and groups come from
// the grouping query (RunDuplicateGrouping) through SetGrouping. The scan also notes whether every
// text key in scope is already in the compared form: then grouping by the stored values gives the
// same groups, and the grouping query skips the normalising function (and can use an index).
class DuplicateEvaluator : public RowEvaluator {
 public:
  using Pair = std::pair<uint64_t, int64_t>;  // a row's key hash and rowid
  DuplicateEvaluator(const CheckSpec& spec, const CheckContext& context, const ParamReader& p)
      : RowEvaluator(spec, context), form_(ParseKeyForm(p.String("normalize"))) {}
  void SetGrouping(int64_t violations, int64_t groups) {
    violations_ = violations;
    groups_ = groups;
  }
  // Every row of a group of equal keys is listed (the department decides which one stays): the
  // listed rows are of violations + groups rows in all.
  int64_t ListedTotal() const override { return violations_ + groups_; }
  // The first `samples` of the rows fetched are the samples; all of them are listed.
  void SetSamples(std::vector<std::vector<std::string>> rows) {
    listed_ = std::move(rows);
    const size_t n = std::min(listed_.size(), static_cast<size_t>(std::max(context_.samples, 0)));
    samples_.assign(listed_.begin(), listed_.begin() + static_cast<std::ptrdiff_t>(n));
  }
  KeyForm form() const { return form_; }
  int64_t rows_checked() const { return rows_checked_; }

  // Rows with every key column set; with nfc, the extra count is of rows with a text key that is
  // not NFC (as the scan notes it: none means the grouping can skip normalising).
  std::optional<PushDown> PushDownSql(const PushDownTable& table) const override {
    if (form_ == KeyForm::kFold || (form_ == KeyForm::kNfc && !table.unicode_normalize)) {
      return std::nullopt;
    }
    PushDown out;
    for (const std::string& c : spec_.columns) {
      if (!out.checked.empty()) out.checked += " AND ";
      out.checked += QuoteIdent(c) + " IS NOT NULL";
      if (form_ != KeyForm::kNfc) continue;
      // Only text values are normalised; other types' values are never text.
      const SqlColumnKind kind = table.KindOf(c);
      if (kind == SqlColumnKind::kInteger || kind == SqlColumnKind::kFloat ||
          kind == SqlColumnKind::kNumeric) {
        continue;
      }
      if (kind != SqlColumnKind::kText) return std::nullopt;
      if (!out.extra.empty()) out.extra += " OR ";
      out.extra += fmt::format("NOT {} IS NFC NORMALIZED", QuoteIdent(c));
    }
    return out;
  }
  // True when no text key seen in scope changes under the form (always for kNone).
  bool keys_in_form() const { return keys_in_form_; }
  // The rowids of the rows in scope whose key hash another such row shares (sorted), or nullopt
  // when they are not known: the check could not hash its keys, or (an incremental scan) the key
  // hashes of the rows it did not read again are in no memo. Then every row in scope is a
  // candidate.
  //
  // With `memos` (an incremental scan), the key hashes of every row in scope are the memo's
  // (KeyHashMemoName) outside the spans this scan read, and this scan's inside them; the new set is
  // kept for KeepMemo. Without, they are this scan's (every range read: PairsComplete).
  std::optional<std::vector<int64_t>> CandidateRowids(GroupingMemos* memos) {
    memo_pairs_.clear();
    if (!hashing_) return std::nullopt;
    if (memos != nullptr) return CandidatesWithMemo(*memos);
    if (!pairs_complete_) return std::nullopt;
    // Each run (this scan's, and those merged from other ranges) is sorted in place, then all are
    // walked together in hash order: no copy of the pairs, which are the one part of a scan's
    // memory that grows with the rows.
    runs_.push_back(std::move(hashes_));
    hashes_.clear();
    for (auto& run : runs_) SortInPlace(run);
    using Head = std::pair<Pair, size_t>;  // a run's next pair, the run
    std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
    std::vector<size_t> at(runs_.size(), 0);
    for (size_t r = 0; r < runs_.size(); ++r) {
      if (!runs_[r].empty()) heads.push({runs_[r][0], r});
    }
    std::vector<int64_t> out;
    std::vector<int64_t> group;  // the rowids of the current hash
    uint64_t hash = 0;
    auto close = [&] {
      if (group.size() > 1) out.insert(out.end(), group.begin(), group.end());
      group.clear();
    };
    auto take = [&](const Pair& pair) {
      if (group.empty() || pair.first != hash) {
        close();
        hash = pair.first;
      }
      group.push_back(pair.second);
    };
    if (heads.size() == 1) {  // one run (a table read in one piece): no merge
      for (const Pair& pair : runs_[heads.top().second]) take(pair);
    } else {
      while (!heads.empty()) {
        const auto [pair, r] = heads.top();
        heads.pop();
        take(pair);
        if (++at[r] < runs_[r].size()) heads.push({runs_[r][at[r]], r});
      }
    }
    close();
    runs_.clear();
    std::sort(out.begin(), out.end());
    return out;
  }
  // After CandidateRowids found candidates through the memo: whether it did, whether this scan
  // read only some ranges (then `touched` holds meaning), the candidates' (hash, rowid) pairs
  // sorted, and the touched hashes (sorted, distinct): those of the pairs of the spans read that
  // the memo has and this scan has not, or this scan has and the memo has not. A row read again
  // whose key hash, scope and rowid are unchanged touches nothing, so a group of candidates whose
  // hash is not touched holds the same rows in each check's scope as in the previous scan (unless
  // a changed row's new key has its old key's 64-bit hash).
  bool memo_mode() const { return has_memo_; }
  bool partial() const { return partial_; }
  const std::vector<Pair>& candidate_pairs() const { return candidate_pairs_; }
  const std::vector<uint64_t>& touched() const { return touched_; }

  // Keeps the key hashes CandidateRowids put together, for the next incremental scan: the memo of
  // every row's pair (unchanged, or written whole again), and the changes since it was written.
  void KeepMemo(GroupingMemos& memos) {
    if (!has_memo_) return;
    // An unchanged memo keeps its file: it is neither hashed nor written again.
    // (KeepAsBefore fails only for a base the previous scan did not keep, which was then not
    // read: nothing is kept, and the next scan reads every range.)
    bool kept = true;
    if (base_as_before_) {
      kept = memos.KeepAsBefore(KeyHashMemoName());
    } else {
      memos.Keep(KeyHashMemoName(), PairBytes(memo_pairs_));
    }
    if (kept) memos.Keep(KeyHashChangesName(), ChangesBytes(minus_, plus_));
    base_as_before_ = false;
    memo_pairs_ = {};
    minus_ = {};
    plus_ = {};
    candidate_pairs_ = {};
    touched_ = {};
    has_memo_ = false;
  }

 private:
  // The memo of key hashes (docs/engine.md "Grouping memos"): the sorted (hash, rowid) pairs of every
  // row in scope as some scan wrote it whole (the base), and the changes since, kept beside it as
  // a second memo: the base's pairs that are gone (`minus`) and the pairs added (`plus`), both
  // sorted. Every row's pair is the base's less `minus`, with `plus`.
  std::string KeyHashMemoName() const { return "duplicate key hashes:" + spec_.id; }
  std::string KeyHashChangesName() const { return "duplicate key hash changes:" + spec_.id; }

  // The largest pair: what a list that ran out offers next.
  static constexpr Pair kLastPair{std::numeric_limits<uint64_t>::max(),
                                  std::numeric_limits<int64_t>::max()};

  // One walk of CandidatesWithMemo over the base of the memo of key hashes, or over a part of it,
  // fed its pieces in order: every row's pair in order, grouped by hash as it goes (into `kept`
  // too with `keep`): the base's, less the gone ones (`minus`) and those of the spans read (into
  // `base_read`), merged with the added pairs outside the spans (`plus_kept`) and this scan's
  // (`fresh`). A walk of a part gets the lists cut at its bounds (Join puts two parts together).
  class BaseWalk {
   public:
    BaseWalk(std::span<const std::pair<int64_t, int64_t>> spans, std::span<const Pair> plus_kept,
             std::span<const Pair> fresh, std::span<const Pair> minus, bool keep)
        : spans_(spans), plus_kept_(plus_kept), fresh_(fresh), minus_(minus), keep_(keep) {
      spans_first_ = spans.empty() ? 1 : spans.front().first;
      spans_last_ = spans.empty() ? 0 : spans.back().second;
      next_minus_ = minus_.empty() ? &kLastPair : &minus_[0];
      smalls_ = !plus_kept_.empty() || !fresh_.empty();
      if (smalls_) small_ = NextSmall();
    }

    // The next piece of the base (whole pairs); false when it is not pairs or not sorted.
    bool Piece(std::string_view piece) {
      if (piece.size() % sizeof(Pair) != 0) return sorted_ = false;  // not pairs
      n += piece.size() / sizeof(Pair);
      if (!first_base && !piece.empty()) {
        first_base.emplace();
        std::memcpy(&first_base->first, piece.data(), 8);
        std::memcpy(&first_base->second, piece.data() + 8, 8);
      }
      const char* const end = piece.data() + piece.size();
      for (const char* at = piece.data(); at != end; at += sizeof(Pair)) {
        Pair p;
        std::memcpy(&p.first, at, 8);
        std::memcpy(&p.second, at + 8, 8);
        if (p < previous_) return sorted_ = false;
        previous_ = p;
        if (smalls_ && small_ < p) TakeSmallsBefore(p, false);
        if (!(p < *next_minus_)) {
          while (m_ < minus_.size() && minus_[m_] < p) ++m_;
          next_minus_ = m_ < minus_.size() ? &minus_[m_] : &kLastPair;
          if (m_ < minus_.size() && minus_[m_] == p) continue;  // gone since the base was written
        }
        if (p.second >= spans_first_ && p.second <= spans_last_ && InSpans(spans_, p.second)) {
          base_read.push_back(p);
        } else {
          Take(p);
        }
      }
      return true;
    }
    // After the last piece: the lists' pairs left. False when the base was not sorted pairs.
    bool End() {
      TakeSmallsBefore(kLastPair, true);
      return sorted_;
    }

    // The walk of the part of the base that follows this one's (and of the lists' pairs from that
    // part's first pair on) added to this one: its pairs after these, a group of one hash on both
    // sides of the cut output whole. False when the parts are not in order.
    bool Join(BaseWalk&& next) {
      if (first_base && next.first_base && *next.first_base < previous_) return false;
      bool next_first_out = false;  // next's first pair output here
      if (has_current_ && next.first_taken_ && current_.first == next.first_taken_->first) {
        // The pairs of the group that the walk of their side left alone (a group's first pair is
        // output with its second) go out now, in order.
        if (!current_out_) Output(current_);
        if (next.candidates.empty() || next.candidates.front() != *next.first_taken_) {
          Output(*next.first_taken_);
          next_first_out = true;
        }
      }
      out.insert(out.end(), next.out.begin(), next.out.end());
      candidates.insert(candidates.end(), next.candidates.begin(), next.candidates.end());
      base_read.insert(base_read.end(), next.base_read.begin(), next.base_read.end());
      kept.insert(kept.end(), next.kept.begin(), next.kept.end());
      n += next.n;
      if (next.first_base) previous_ = next.previous_;
      if (!first_base) first_base = next.first_base;
      if (!first_taken_) first_taken_ = next.first_taken_;
      if (next.has_current_) {
        current_out_ = next.current_out_ || (next_first_out && next.current_ == *next.first_taken_);
        current_ = next.current_;
        has_current_ = true;
      }
      return true;
    }

    // Groups pairs by hash as they come in order: a pair whose hash is its predecessor's is in a
    // group, and so is that predecessor (output once, as the group's first). Singletons, most
    // pairs, cost a comparison and a copy.
    void Take(const Pair& p) {
      if (!first_taken_) first_taken_ = p;
      if (has_current_ && p.first == current_.first) {
        if (!current_out_) Output(current_);
        current_out_ = true;
        Output(p);
      } else {
        current_ = p;
        has_current_ = true;
        current_out_ = false;
      }
      if (keep_) kept.push_back(p);
    }

    std::vector<int64_t> out;  // the rowids of pairs in a group (with another pair of their hash)
    std::vector<Pair> candidates;  // their pairs
    std::vector<Pair> base_read;   // the base's pairs (not gone) inside the spans read
    std::vector<Pair> kept;        // every pair taken, with `keep`
    size_t n = 0;                  // the base's pairs met
    std::optional<Pair> first_base;

   private:
    void Output(const Pair& p) {
      out.push_back(p.second);
      candidates.push_back(p);
    }
    // The smaller of the next added pair and this scan's next pair (none: kLastPair).
    Pair NextSmall() const {
      const Pair& x = a_ < plus_kept_.size() ? plus_kept_[a_] : kLastPair;
      const Pair& y = f_ < fresh_.size() ? fresh_[f_] : kLastPair;
      return std::min(x, y);
    }
    // Takes the added and this scan's pairs before `p` (all of them with `all`).
    void TakeSmallsBefore(const Pair& p, bool all) {
      while (smalls_ && (all || small_ < p)) {
        if (a_ < plus_kept_.size() && (f_ >= fresh_.size() || plus_kept_[a_] < fresh_[f_])) {
          Take(plus_kept_[a_++]);
        } else {
          Take(fresh_[f_++]);
        }
        smalls_ = a_ < plus_kept_.size() || f_ < fresh_.size();
        if (smalls_) small_ = NextSmall();
      }
    }

    std::span<const std::pair<int64_t, int64_t>> spans_;
    std::span<const Pair> plus_kept_, fresh_, minus_;
    bool keep_;
    int64_t spans_first_ = 1, spans_last_ = 0;  // the rowids the spans cover at most
    size_t m_ = 0, a_ = 0, f_ = 0;              // next of minus_, plus_kept_, fresh_
    const Pair* next_minus_;
    Pair small_ = kLastPair;
    bool smalls_ = false;  // any of plus_kept_ and fresh_ left
    Pair previous_{0, std::numeric_limits<int64_t>::min()};  // the last base pair met
    bool sorted_ = true;
    Pair current_{};  // the first pair of the last hash taken
    bool has_current_ = false, current_out_ = false;
    std::optional<Pair> first_taken_;
  };

  // Candidates through the memo of key hashes. A scan that read every range writes the base whole
  // and no change. Otherwise one pass over the base (streamed in two parts at once, one per
  // thread: GroupingMemos::StreamSplit, BaseWalk) merges its pairs outside the spans read and the
  // changes' added pairs there with this scan's pairs, grouping them by hash as it goes; the pairs
  // of the spans read that the previous scan had (base or added) are set against this scan's to
  // find the touched hashes, and the changes follow. When the changes grow past an eighth of the
  // base, a second pass keeps every pair and the base is written whole again.
  std::optional<std::vector<int64_t>> CandidatesWithMemo(GroupingMemos& memos) {
    std::vector<Pair> fresh = TakeSortedPairs();
    touched_.clear();
    base_as_before_ = false;
    memo_pairs_.clear();
    minus_.clear();
    plus_.clear();
    candidate_pairs_.clear();
    partial_ = !memos.AllRead();
    std::vector<int64_t> out;
    if (!partial_) {
      memo_pairs_ = std::move(fresh);
      BaseWalk all({}, {}, {}, {}, false);
      for (const Pair& p : memo_pairs_) all.Take(p);
      out = std::move(all.out);
      candidate_pairs_ = std::move(all.candidates);
    } else {
      const std::optional<FileBytes> changes = memos.Load(KeyHashChangesName());
      std::vector<Pair> minus, plus;
      if (!changes || !ReadChanges(changes->view(), minus, plus)) return std::nullopt;
      const auto& spans = memos.ReadSpans();
      std::vector<Pair> plus_kept, plus_read;  // the added pairs outside the spans read, inside
      for (const Pair& p : plus) (InSpans(spans, p.second) ? plus_read : plus_kept).push_back(p);
      // The first pass: the base's two parts walked at once, one per thread
      // (GroupingMemos::StreamSplit), each with the lists' pairs of its part (those before the
      // second part's first pair, and the rest), then joined.
      std::optional<BaseWalk> first, second;
      std::optional<Pair> second_first;  // the first pair of the second part (none: it is empty)
      const auto start = [&](std::string_view head) {
        if (!head.empty()) {
          if (head.size() < sizeof(Pair)) return false;
          second_first.emplace();
          std::memcpy(&second_first->first, head.data(), 8);
          std::memcpy(&second_first->second, head.data() + 8, 8);
        }
        const auto cut = [&](const std::vector<Pair>& list) {
          return second_first ? static_cast<size_t>(
                                    std::lower_bound(list.begin(), list.end(), *second_first) -
                                    list.begin())
                              : list.size();
        };
        const size_t k = cut(plus_kept), f = cut(fresh), m = cut(minus);
        first.emplace(spans, std::span<const Pair>(plus_kept).first(k),
                      std::span<const Pair>(fresh).first(f), std::span<const Pair>(minus).first(m),
                      false);
        second.emplace(spans, std::span<const Pair>(plus_kept).subspan(k),
                       std::span<const Pair>(fresh).subspan(f),
                       std::span<const Pair>(minus).subspan(m), false);
        return true;
      };
      const bool whole = memos.StreamSplit(
          KeyHashMemoName(), sizeof(Pair), start,
          [&](std::string_view piece) { return first->Piece(piece); },
          [&](std::string_view piece) { return second->Piece(piece); });
      // (the second part must start where `start` was told it does)
      if (!whole || !first || !second || !first->End() || !second->End() ||
          second->first_base != second_first ||
          !first->Join(std::move(*second))) {
        return std::nullopt;
      }
      out = std::move(first->out);
      candidate_pairs_ = std::move(first->candidates);
      const std::vector<Pair> base_read = std::move(first->base_read);
      const size_t n = first->n;  // the base's pairs
      // The previous scan's pairs of the spans read, against this scan's.
      std::vector<Pair> old_read;
      std::merge(base_read.begin(), base_read.end(), plus_read.begin(), plus_read.end(),
                 std::back_inserter(old_read));
      std::vector<Pair> changed;
      std::set_symmetric_difference(old_read.begin(), old_read.end(), fresh.begin(), fresh.end(),
                                    std::back_inserter(changed));
      for (const Pair& p : changed) {
        if (touched_.empty() || touched_.back() != p.first) touched_.push_back(p.first);
      }
      // The base's pairs gone: those gone before and those of the spans read, less the ones this
      // scan has again; the pairs added: those outside the spans read, and this scan's that the
      // base lacks.
      std::vector<Pair> gone;
      std::merge(minus.begin(), minus.end(), base_read.begin(), base_read.end(),
                 std::back_inserter(gone));
      std::set_difference(gone.begin(), gone.end(), fresh.begin(), fresh.end(),
                          std::back_inserter(minus_));
      std::vector<Pair> added;
      std::set_difference(fresh.begin(), fresh.end(), gone.begin(), gone.end(),
                          std::back_inserter(added));
      std::merge(plus_kept.begin(), plus_kept.end(), added.begin(), added.end(),
                 std::back_inserter(plus_));
      if (minus_.size() + plus_.size() > n / 8) {
        // Grown past an eighth of the base: written whole again, with no change beside it, from a
        // second pass over the whole base on this thread that keeps every pair (a base that
        // cannot be read back a second time: the slow exact way, and no memo kept).
        minus_.clear();
        plus_.clear();
        BaseWalk all(spans, plus_kept, fresh, minus, true);
        all.kept.reserve(n + fresh.size());
        if (!memos.Stream(KeyHashMemoName(), sizeof(Pair),
                          [&](std::string_view piece) { return all.Piece(piece); }) ||
            !all.End()) {
          return std::nullopt;
        }
        out = std::move(all.out);
        candidate_pairs_ = std::move(all.candidates);
        memo_pairs_ = std::move(all.kept);
      } else {
        base_as_before_ = true;
      }
    }
    has_memo_ = true;
    std::sort(out.begin(), out.end());
    return out;
  }

  static bool InSpans(std::span<const std::pair<int64_t, int64_t>> spans, int64_t rowid) {
    for (const auto& [first, last] : spans) {
      if (rowid < first) return false;
      if (rowid <= last) return true;
    }
    return false;
  }

  // The changes memo's bytes: the count of gone pairs (8 bytes, then 8 zero bytes), the gone pairs,
  // the added pairs (PairBytes each).
  static std::string ChangesBytes(const std::vector<Pair>& minus, const std::vector<Pair>& plus) {
    std::string out(16, '\0');
    const uint64_t gone = minus.size();
    std::memcpy(out.data(), &gone, 8);
    out += PairBytes(minus);
    out += PairBytes(plus);
    return out;
  }
  // False when `bytes` are not what ChangesBytes wrote (sorted pairs each).
  static bool ReadChanges(std::string_view bytes, std::vector<Pair>& minus, std::vector<Pair>& plus) {
    if (bytes.size() < 16 || bytes.size() % sizeof(Pair) != 0) return false;
    uint64_t gone = 0;
    std::memcpy(&gone, bytes.data(), 8);
    const size_t pairs = bytes.size() / sizeof(Pair) - 1;
    if (gone > pairs) return false;
    for (size_t i = 0; i < pairs; ++i) {
      Pair p;
      std::memcpy(&p.first, bytes.data() + (i + 1) * sizeof(Pair), 8);
      std::memcpy(&p.second, bytes.data() + (i + 1) * sizeof(Pair) + 8, 8);
      std::vector<Pair>& list = i < gone ? minus : plus;
      if (!list.empty() && !(list.back() < p)) return false;
      list.push_back(p);
    }
    return true;
  }

  // This scan's (hash, rowid) pairs, sorted, taken out of the evaluator.
  std::vector<Pair> TakeSortedPairs() {
    size_t total = hashes_.size();
    for (const auto& run : runs_) total += run.size();
    std::vector<Pair> all;
    if (runs_.empty()) {
      all = std::move(hashes_);
    } else {
      all.reserve(total);
      for (auto& run : runs_) {
        all.insert(all.end(), run.begin(), run.end());
        run = {};
      }
      all.insert(all.end(), hashes_.begin(), hashes_.end());
    }
    hashes_ = {};
    runs_.clear();
    SortInPlace(all);
    return all;
  }

  // The memo's bytes: the sorted pairs as they lie in memory (16 bytes each, this machine's byte
  // order: a memo is read back by the same build, as range states are).
  static std::string_view PairBytes(const std::vector<Pair>& pairs) {
    static_assert(sizeof(Pair) == 16 && offsetof(Pair, second) == 8);
    return {reinterpret_cast<const char*>(pairs.data()), pairs.size() * sizeof(Pair)};
  }
  // Sorts `run` by (hash, rowid) in place: bucketed by the hash's top bits (hashes are uniform;
  // American flag sort, no second array), 4 to 8 pairs a bucket up to 16 bits, then each small
  // bucket sorted (22,000 pairs: 0.64 ms against 1.37 with std::sort, on the project's machine).
  static void SortInPlace(std::vector<std::pair<uint64_t, int64_t>>& run) {
    const int bits = std::min(static_cast<int>(std::bit_width(run.size())) - 3, 16);
    if (bits < 6) {
      std::sort(run.begin(), run.end());
      return;
    }
    const auto bucket = [bits](const std::pair<uint64_t, int64_t>& p) {
      return static_cast<size_t>(p.first >> (64 - bits));
    };
    std::vector<size_t> ends(size_t{1} << bits, 0);
    for (const auto& p : run) ++ends[bucket(p)];
    std::vector<size_t> next(ends.size(), 0);
    size_t sum = 0;
    for (size_t b = 0; b < ends.size(); ++b) {
      next[b] = sum;
      sum += ends[b];
      ends[b] = sum;
    }
    const std::vector<size_t> starts = next;
    for (size_t b = 0; b < ends.size(); ++b) {
      while (next[b] < ends[b]) {
        std::pair<uint64_t, int64_t> v = run[next[b]];
        size_t d = bucket(v);
        while (d != b) {
          std::swap(v, run[next[d]++]);
          d = bucket(v);
        }
        run[next[b]++] = v;
      }
    }
    for (size_t b = 0; b < ends.size(); ++b) {
      std::sort(run.begin() + static_cast<std::ptrdiff_t>(starts[b]),
                run.begin() + static_cast<std::ptrdiff_t>(ends[b]));
    }
  }

 protected:
  // The candidate rows of the grouping (RunDuplicateGrouping) are those whose key hash is shared:
  // the hash is taken of each key as the grouping compares it (the form, then the column's
  // collating sequence), so keys SQL finds equal always hash alike. Only on SQLite rowid tables
  // whose key columns use the built-in collating sequences.
  Status Prepare(SourceDb& db) override {
    hashing_ = db.engine() == Engine::kSqlite;
    for (const std::string& c : spec_.columns) {
      const std::optional<Collation> collation =
          BuiltInCollation(db.ColumnCollation(db.MainSchema(), spec_.table, c));
      if (collation) {
        collations_.push_back(*collation);
      } else {
        hashing_ = false;
      }
    }
    return Status::Ok();
  }
  void SharePrepared(const RowEvaluator& primary) override {
    const auto& o = static_cast<const DuplicateEvaluator&>(primary);
    hashing_ = o.hashing_;
    collations_ = o.collations_;
  }
  // The key hashes are not part of a range's state: the table's are one grouping memo
  // (CandidateRowids), so that a night reads and merges the hashes of the rows it read, not of all.
  nlohmann::json SaveOwnState() const override { return {keys_in_form_, hashing_}; }
  void LoadOwnState(const nlohmann::json& state) override {
    keys_in_form_ = state.at(0).get<bool>();
    hashing_ = state.at(1).get<bool>();
    hashes_.clear();
    runs_.clear();
    pairs_complete_ = false;  // this range's hashes are in the memo
  }
  std::vector<std::string> RequiredMemos() const override {
    if (!hashing_) return {};
    return {KeyHashMemoName(), KeyHashChangesName()};
  }
  void MergeState(RowEvaluator& later) override {
    auto& o = static_cast<DuplicateEvaluator&>(later);
    keys_in_form_ = keys_in_form_ && o.keys_in_form_;
    hashing_ = hashing_ && o.hashing_;
    pairs_complete_ = pairs_complete_ && o.pairs_complete_;
    // Kept as runs (moved, not copied) until CandidateRowids puts them together once.
    for (auto& run : o.runs_) runs_.push_back(std::move(run));
    o.runs_.clear();
    runs_.push_back(std::move(o.hashes_));
    o.hashes_.clear();
    if (!hashing_) runs_.clear();
  }
  void ObserveInScope(const ScanRow& row) override {
    for (size_t i = 0; i < spec_.columns.size(); ++i) {
      if (Cell(row, i).is_null()) return;
    }
    ++rows_checked_;
    if (hashing_ && row.rowid == nullptr) {
      hashing_ = false;
      hashes_.clear();
      hashes_.shrink_to_fit();
      runs_.clear();
    }
    if (!keys_in_form_ && !hashing_) return;
    uint64_t hash = 0;
    for (size_t i = 0; i < spec_.columns.size(); ++i) {
      const Value& v = Cell(row, i);
      if (v.type != Value::Type::kText) {
        if (hashing_) hash = MixKey(hash, NumberOrBlobHash(v));
        continue;
      }
      // ASCII is already NFC: the common case costs one pass over the bytes.
      std::string_view normal = v.bytes;
      if (form_ == KeyForm::kFold || (form_ == KeyForm::kNfc && !IsAscii(v.bytes))) {
        normal = form_ == KeyForm::kNfc ? NfcView(v.bytes, scratch_) : FoldView(v.bytes, scratch_);
        if (normal.data() != v.bytes.data()) keys_in_form_ = false;
      }
      if (hashing_) hash = MixKey(hash, CollatedTextHash(normal, collations_[i]));
    }
    if (!hashing_) return;
    hashes_.push_back({hash, *row.rowid});
    // Full chunks are sorted and set aside: a vector that doubles would hold up to twice the pairs.
    if (hashes_.size() >= kChunk) {
      SortInPlace(hashes_);
      runs_.push_back(std::move(hashes_));
      hashes_ = {};
    }
  }
  void TakePushedExtra(int64_t not_nfc) override { keys_in_form_ = not_nfc == 0; }
  std::string Complete(CheckResult& result) override {
    result.groups = groups_;
    SetWords(result, "check.duplicate",
             CountArgs(result, {{"columns", JoinColumns(spec_.columns)},
                                {"n_groups", std::to_string(groups_)}}));
    return fmt::format("{} duplicate an earlier row on ({}), in {} groups of equal values",
                       CountText(result.violations, result.rows_checked, "rows"),
                       JoinColumns(spec_.columns), groups_);
  }

 private:
  static uint64_t MixKey(uint64_t h, uint64_t part) {
    h ^= part + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
    return (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  }
  // SQL compares INTEGER and REAL by value: a whole REAL hashes as the INTEGER it equals.
  static uint64_t NumberOrBlobHash(const Value& v) {
    if (v.type == Value::Type::kInteger) return MixKey(1, static_cast<uint64_t>(v.integer));
    if (v.type == Value::Type::kReal) {
      const double r = v.real;
      if (r >= -9223372036854775808.0 && r < 9223372036854775808.0 &&
          static_cast<double>(static_cast<int64_t>(r)) == r) {
        return MixKey(1, static_cast<uint64_t>(static_cast<int64_t>(r)));
      }
      uint64_t bits = 0;
      std::memcpy(&bits, &r, sizeof bits);
      return MixKey(2, bits);
    }
    return MixKey(4, StableHash64(v.bytes));
  }
  uint64_t CollatedTextHash(std::string_view text, Collation collation) {
    if (collation == Collation::kRtrim) {
      text = RtrimSpaces(text);
    } else if (collation == Collation::kNocase) {
      folded_.assign(text);
      for (char& c : folded_) c = static_cast<char>(NocaseFold(static_cast<unsigned char>(c)));
      text = folded_;
    }
    return MixKey(3, StableHash64(text));
  }

  KeyForm form_;
  bool keys_in_form_ = true;
  bool hashing_ = false;  // Prepare decides; a row without a rowid turns it off
  std::vector<Collation> collations_;  // per key column
  std::vector<std::pair<uint64_t, int64_t>> hashes_;  // key hash, rowid per row in scope
  // False once a range's state was loaded: its rows' hashes are in the memo, not here.
  bool pairs_complete_ = true;
  std::vector<Pair> memo_pairs_;  // every row's (hash, rowid), sorted: a base to write whole
  bool base_as_before_ = false;  // the base is kept as it is (with minus_ and plus_)
  std::vector<Pair> minus_, plus_;  // the changes to keep beside base_ (or none)
  bool has_memo_ = false;
  bool partial_ = false;
  std::vector<Pair> candidate_pairs_;
  std::vector<uint64_t> touched_;
  // Sorted runs: full chunks of this scan's pairs, and the pairs merged from other ranges.
  std::vector<std::vector<std::pair<uint64_t, int64_t>>> runs_;
  static constexpr size_t kChunk = size_t{1} << 20;  // pairs (16 MB)
  std::string folded_;
  int64_t groups_ = 0;
  std::string scratch_;
};

// The key hash of each candidate row of a grouping, looked up by rowid: (rowid, hash) sorted,
// one lookup a binary search of one array (an unordered_map of 10,000 rows cost a night about
// 1.5 ms in node allocations and cache misses).
class HashOfRow {
 public:
  // `pairs`: (hash, rowid), sorted and distinct. A rowid with two hashes (a stale pair) gives its
  // smaller one.
  void Assign(const std::vector<std::pair<uint64_t, int64_t>>& pairs) {
    rows_.clear();
    rows_.reserve(pairs.size());
    for (const auto& [hash, rowid] : pairs) rows_.emplace_back(rowid, hash);
    std::sort(rows_.begin(), rows_.end());
  }
  // The hash of `rowid`, or null when it is no candidate.
  const uint64_t* Find(int64_t rowid) const {
    const auto it = std::lower_bound(rows_.begin(), rows_.end(),
                                     std::pair<int64_t, uint64_t>(rowid, 0));
    return it != rows_.end() && it->first == rowid ? &it->second : nullptr;
  }

 private:
  std::vector<std::pair<int64_t, uint64_t>> rows_;
};

// The candidate rows of a grouping (RunDuplicateGrouping), bound as one JSON array to parameter
// ?1 of every query that reads them: a bound value has no statement-length limit, and SQLite reads
// `rowid IN (SELECT value FROM json_each(?1))` as one rowid lookup per candidate.
constexpr std::string_view kCandidateTerm = "rowid IN (SELECT value FROM json_each(?1))";

// Prepares `sql` and binds the candidate list (if any) to ?1.
Result<Statement> PrepareWithCandidates(SourceDb& db, const std::string& sql,
                                        const std::string& candidates, StepBudget budget) {
  DQA_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(sql, budget));
  if (!candidates.empty()) DQA_RETURN_IF_ERROR(stmt.Bind(1, std::string_view(candidates)));
  return stmt;
}

std::string Conjunction(const std::vector<std::string>& terms) {
  std::string out;
  for (const std::string& t : terms) {
    if (t.empty()) continue;
    if (!out.empty()) out += " AND ";
    out += "(" + t + ")";
  }
  return out.empty() ? "1" : out;
}

// The SQL of each key column as `check` compares it: the column itself, or dqa_nfc / dqa_fold of
// it with the column's own collating sequence (a function's result has none, and a NOCASE column
// must keep grouping case-insensitively).
std::vector<std::string> KeyExpressions(SourceDb& db, const std::string& table,
                                        const DuplicateEvaluator& check) {
  std::vector<std::string> out;
  for (const std::string& c : check.spec().columns) {
    if (check.form() == KeyForm::kNone || check.keys_in_form()) {
      out.push_back(QuoteIdent(c));
      continue;
    }
    std::string expr;
    if (db.engine() == Engine::kPostgres && check.form() == KeyForm::kNfc) {
      expr = fmt::format("normalize({}, NFC)", QuoteIdent(c));  // the server's own NFC
    } else {
      const char* function = check.form() == KeyForm::kNfc ? kNfcFunction : kFoldFunction;
      expr = fmt::format("{}({})", function, QuoteIdent(c));
    }
    const std::string collation = db.ColumnCollation(db.MainSchema(), table, c);
    if (collation != "BINARY") expr += " COLLATE " + QuoteIdent(collation);
    out.push_back(std::move(expr));
  }
  return out;
}

// The columns of the current row from `first` on, as display text (text is read as a view and
// truncated, never copied whole).
std::vector<std::string> DisplayKey(Statement& stmt, int first) {
  std::vector<std::string> key;
  for (int i = first; i < stmt.ColumnCount(); ++i) {
    const Value::Type type = stmt.ColumnType(i);
    key.push_back(type == Value::Type::kText || type == Value::Type::kBlob
                      ? TruncateForDisplay(stmt.ColumnText(i))
                      : stmt.ColumnDisplay(i));
  }
  return key;
}

// The table key (`key_sql`) of the rows `sql` selects, read as display text.
Result<std::vector<std::vector<std::string>>> ReadKeys(SourceDb& db, const std::string& sql,
                                                       const std::string& candidates) {
  DQA_ASSIGN_OR_RETURN(Statement stmt,
                       PrepareWithCandidates(db, sql, candidates, StepBudget::kWhole));
  std::vector<std::vector<std::string>> out;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    out.push_back(DisplayKey(stmt, 0));
  }
  return out;
}

// The first `samples` rows in `scope` of groups of equal keys (`cols`, more than one row), in key
// then table-key order, found by grouping.
Result<std::vector<std::vector<std::string>>> FetchSamples(SourceDb& db, const std::string& from,
                                                           const std::string& scope,
                                                           const std::string& cols,
                                                           const std::vector<std::string>& key_sql,
                                                           const std::string& candidates,
                                                           int samples) {
  const std::string keys = fmt::format("{}", fmt::join(key_sql, ", "));
  return ReadKeys(
      db,
      fmt::format("SELECT {0} FROM {1} WHERE {2} AND ({3}) IN (SELECT {3} FROM {1} WHERE {2} "
                  "GROUP BY {3} HAVING count(*) > 1) ORDER BY {3}, {0} LIMIT {4}",
                  keys, from, scope, cols, samples),
      candidates);
}

// The same, when the grouping listed the rows of the first groups (`rows`, bound to ?1 that
// `scope` reads): only those rows are read.
Result<std::vector<std::vector<std::string>>> FetchGroupRows(
    SourceDb& db, const std::string& from, const std::string& scope, const std::string& cols,
    const std::vector<std::string>& key_sql, const std::string& rows, int samples) {
  return ReadKeys(db,
                  fmt::format("SELECT {0} FROM {1} WHERE {2} ORDER BY {3}, {0} LIMIT {4}",
                              fmt::join(key_sql, ", "), from, scope, cols, samples),
                  rows);
}

// Breakdowns of a duplicate check: within each group of equal keys the first row in table-key order
// is the original and every later row a violation of its OWN unit, so a group that spans units
// counts in each unit its rows beyond the group's first (docs/checks.md "Breakdowns by unit").
Status CountUnitViolations(SourceDb& db, const std::string& from, const std::string& scope,
                           const std::string& cols, const std::vector<std::string>& key_sql,
                           const std::string& candidates, DuplicateEvaluator& check) {
  for (size_t e = 0; e < check.spec().by.size(); ++e) {
    const std::string sql = fmt::format(
        "SELECT u, count(*) FROM (SELECT {0} AS u, row_number() OVER (PARTITION BY {1} ORDER BY "
        "{2}) AS rn FROM {3} WHERE {4}) AS d WHERE rn > 1 GROUP BY u",
        QuoteIdent(check.spec().by[e].column), cols, fmt::join(key_sql, ", "), from, scope);
    DQA_ASSIGN_OR_RETURN(Statement stmt,
                         PrepareWithCandidates(db, sql, candidates, StepBudget::kPerStep));
    while (true) {
      DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      std::optional<std::string_view> unit;
      if (!stmt.IsNull(0)) unit = stmt.ColumnText(0);
      check.AddUnitViolations(e, check.UnitOf(e, unit), stmt.ColumnInt(1));
    }
  }
  return Status::Ok();
}

// A value of an ORDER BY term, compared as SQLite compares it (sqlite3MemCompare): NULL first,
// then numbers by value (an integer against a real exactly, as SQLite does through a long
// double), then text by the term's collating sequence, then blobs bytewise.
struct OrderValue {
  Value::Type type = Value::Type::kNull;
  int64_t integer = 0;
  double real = 0;
  std::string bytes;
};

int Sign(int64_t v) { return v < 0 ? -1 : v > 0 ? 1 : 0; }

// binCollFunc, nocaseCollatingFunc (ASCII letters folded) and rtrimCollFunc (trailing spaces
// dropped) of SQLite: the common prefix bytewise, then the shorter first.
int CompareText(std::string_view a, std::string_view b, Collation collation) {
  if (collation == Collation::kRtrim) {
    a = RtrimSpaces(a);
    b = RtrimSpaces(b);
  }
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (collation == Collation::kNocase) {
      x = NocaseFold(x);
      y = NocaseFold(y);
    }
    if (x != y) return x < y ? -1 : 1;
  }
  return Sign(static_cast<int64_t>(a.size()) - static_cast<int64_t>(b.size()));
}

int CompareOrderValues(const OrderValue& a, const OrderValue& b, Collation collation) {
  using T = Value::Type;
  const auto rank = [](T t) {
    switch (t) {
      case T::kNull: return 0;
      case T::kInteger:
      case T::kReal: return 1;
      case T::kText: return 2;
      case T::kBlob: return 3;
    }
    return 3;
  };
  if (rank(a.type) != rank(b.type)) return rank(a.type) < rank(b.type) ? -1 : 1;
  switch (rank(a.type)) {
    case 0:
      return 0;
    case 1: {
      if (a.type == T::kInteger && b.type == T::kInteger) {
        return a.integer < b.integer ? -1 : a.integer > b.integer ? 1 : 0;
      }
      const long double x = a.type == T::kInteger ? static_cast<long double>(a.integer) : a.real;
      const long double y = b.type == T::kInteger ? static_cast<long double>(b.integer) : b.real;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 2:
      return CompareText(a.bytes, b.bytes, collation);
    default:
      return CompareText(a.bytes, b.bytes, Collation::kBinary);
  }
}

// The memo of a grouping's verdicts (GroupingMemos), kept by an incremental scan for the next: per
// group of candidates (rows sharing a key hash), what SQL found in it for each check (violations,
// groups of equal keys), and per check the first groups in key order (their rows, at least the
// rows a check lists, or every group: `complete`). A group whose hash the next scan did not touch
// (DuplicateEvaluator::touched: no row of the spans it read came, went, or changed its key hash or
// its scope) holds the same rows in each check's scope: its verdicts and its place in key order
// among the other such groups are the previous scan's, and SQL groups only the touched ones.
struct GroupVerdicts {
  struct Group {
    uint64_t hash = 0;
    std::vector<int64_t> figures;  // per check: violations, groups
  };
  struct SampleGroup {
    uint64_t hash = 0;
    int64_t rows = 0;                // the rows of the check's scope in the group
    std::vector<int64_t> members;    // every row of the group (group_concat)
    std::vector<OrderValue> order;   // its compared keys (the ORDER BY terms of its rows)
    int part = 0;                    // (not kept) which half of a split grouping found it
  };
  struct Samples {
    bool complete = true;  // every group of the check is in `groups`
    std::vector<SampleGroup> groups;
  };
  std::string key;  // what the verdicts hold under: checks, key expressions, filter, rows listed
  std::vector<Group> groups;  // sorted by hash
  std::vector<Samples> samples;  // per check

  const Group* Find(uint64_t hash) const {
    auto it = std::lower_bound(groups.begin(), groups.end(), hash,
                               [](const Group& g, uint64_t h) { return g.hash < h; });
    return it != groups.end() && it->hash == hash ? &*it : nullptr;
  }

  std::string Encode() const {
    std::vector<uint8_t> figures;
    auto put = [](std::vector<uint8_t>& out, uint64_t v) {
      for (int b = 0; b < 8; ++b) out.push_back(static_cast<uint8_t>(v >> (8 * b)));
    };
    for (const Group& g : groups) {
      put(figures, g.hash);
      for (int64_t f : g.figures) put(figures, static_cast<uint64_t>(f));
    }
    nlohmann::json j = {{"key", key}, {"groups", nlohmann::json::binary(std::move(figures))}};
    nlohmann::json per_check = nlohmann::json::array();
    for (const Samples& sc : samples) {
      std::vector<uint8_t> bytes;
      for (const SampleGroup& g : sc.groups) {
        put(bytes, g.hash);
        put(bytes, static_cast<uint64_t>(g.rows));
        put(bytes, g.members.size());
        for (int64_t m : g.members) put(bytes, static_cast<uint64_t>(m));
        put(bytes, g.order.size());
        for (const OrderValue& v : g.order) {
          put(bytes, static_cast<uint64_t>(v.type));
          switch (v.type) {
            case Value::Type::kNull:
              break;
            case Value::Type::kInteger:
              put(bytes, static_cast<uint64_t>(v.integer));
              break;
            case Value::Type::kReal:
              put(bytes, std::bit_cast<uint64_t>(v.real));
              break;
            case Value::Type::kText:
            case Value::Type::kBlob:
              put(bytes, v.bytes.size());
              bytes.insert(bytes.end(), v.bytes.begin(), v.bytes.end());
              bytes.resize(bytes.size() + (8 - v.bytes.size() % 8) % 8, 0);  // (8-byte units)
              break;
          }
        }
      }
      per_check.push_back({{"complete", sc.complete}, {"groups", nlohmann::json::binary(std::move(bytes))}});
    }
    j["samples"] = std::move(per_check);
    const std::vector<uint8_t> cbor = nlohmann::json::to_cbor(j);
    return std::string(cbor.begin(), cbor.end());
  }

  // nullopt when `bytes` are not what Encode wrote for `checks` checks.
  static std::optional<GroupVerdicts> Decode(std::string_view bytes, size_t checks) {
    try {
      const nlohmann::json j = nlohmann::json::from_cbor(bytes);
      GroupVerdicts out;
      out.key = j.at("key").get<std::string>();
      const auto& figures = j.at("groups").get_binary();
      const size_t width = 8 * (1 + 2 * checks);
      if (figures.size() % width != 0) return std::nullopt;
      size_t at = 0;
      auto get = [](const std::vector<uint8_t>& in, size_t& pos) {
        if (in.size() - pos < 8) throw std::out_of_range("cut short");
        uint64_t v = 0;
        for (int b = 0; b < 8; ++b) v |= static_cast<uint64_t>(in[pos + static_cast<size_t>(b)]) << (8 * b);
        pos += 8;
        return v;
      };
      while (at < figures.size()) {
        Group g;
        g.hash = get(figures, at);
        for (size_t f = 0; f < 2 * checks; ++f) g.figures.push_back(static_cast<int64_t>(get(figures, at)));
        if (!out.groups.empty() && out.groups.back().hash >= g.hash) return std::nullopt;
        out.groups.push_back(std::move(g));
      }
      const nlohmann::json& per_check = j.at("samples");
      if (!per_check.is_array() || per_check.size() != checks) return std::nullopt;
      for (const nlohmann::json& sc : per_check) {
        Samples samples;
        samples.complete = sc.at("complete").get<bool>();
        const auto& in = sc.at("groups").get_binary();
        size_t pos = 0;
        while (pos < in.size()) {
          SampleGroup g;
          g.hash = get(in, pos);
          g.rows = static_cast<int64_t>(get(in, pos));
          const uint64_t n = get(in, pos);
          if (n > (in.size() - pos) / 8) return std::nullopt;
          for (uint64_t m = 0; m < n; ++m) g.members.push_back(static_cast<int64_t>(get(in, pos)));
          const uint64_t terms = get(in, pos);
          if (terms > (in.size() - pos) / 8) return std::nullopt;
          for (uint64_t t = 0; t < terms; ++t) {
            OrderValue v;
            const uint64_t type = get(in, pos);
            if (type > static_cast<uint64_t>(Value::Type::kBlob)) return std::nullopt;
            v.type = static_cast<Value::Type>(type);
            if (v.type == Value::Type::kInteger) v.integer = static_cast<int64_t>(get(in, pos));
            if (v.type == Value::Type::kReal) v.real = std::bit_cast<double>(get(in, pos));
            if (v.type == Value::Type::kText || v.type == Value::Type::kBlob) {
              const uint64_t size = get(in, pos);
              if (size > in.size() - pos) return std::nullopt;
              v.bytes.assign(reinterpret_cast<const char*>(in.data() + pos), size);
              pos += size + (8 - size % 8) % 8;
              if (pos > in.size()) return std::nullopt;
            }
            g.order.push_back(std::move(v));
          }
          samples.groups.push_back(std::move(g));
        }
        out.samples.push_back(std::move(samples));
      }
      return out;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
};

// The first groups of a check in key order, merged by their compared keys (`collations`, one per
// term; CompareOrderValues): `touched`, those of this scan's grouping (in key order within each of
// its `parts`), and `carried`, the previous scan's first groups that no row read touched (in key
// order). Groups of different hashes never have equal keys (keys SQL finds equal hash alike).
// nullopt when a group has not its keys, or two compare equal or out of their order (then the
// rows are read to find it).
std::optional<std::vector<const GroupVerdicts::SampleGroup*>> MergeGroupsInKeyOrder(
    const std::vector<GroupVerdicts::SampleGroup>& touched, size_t parts,
    const std::vector<const GroupVerdicts::SampleGroup*>& carried,
    const std::vector<Collation>& collations) {
  using Group = GroupVerdicts::SampleGroup;
  std::vector<std::vector<const Group*>> lists(parts + 1);
  for (const Group& g : touched) {
    if (g.part < 0 || static_cast<size_t>(g.part) >= parts) return std::nullopt;
    lists[static_cast<size_t>(g.part)].push_back(&g);
  }
  lists[parts] = carried;
  const auto compare = [&](const Group* a, const Group* b) {
    int c = 0;
    for (size_t t = 0; t < collations.size() && c == 0; ++t) {
      c = CompareOrderValues(a->order[t], b->order[t], collations[t]);
    }
    return c;
  };
  size_t total = 0;
  for (const std::vector<const Group*>& list : lists) {
    for (size_t at = 0; at < list.size(); ++at) {
      if (list[at]->order.size() != collations.size()) return std::nullopt;
      if (at > 0 && compare(list[at - 1], list[at]) >= 0) return std::nullopt;
    }
    total += list.size();
  }
  std::vector<const Group*> out;
  out.reserve(total);
  std::vector<size_t> at(lists.size(), 0);
  while (out.size() < total) {
    size_t best = lists.size();
    for (size_t l = 0; l < lists.size(); ++l) {
      if (at[l] == lists[l].size()) continue;
      if (best < lists.size()) {
        const int c = compare(lists[l][at[l]], lists[best][at[best]]);
        if (c == 0) return std::nullopt;
        if (c > 0) continue;
      }
      best = l;
    }
    out.push_back(lists[best][at[best]++]);
  }
  return out;
}

// The rowid then the table key (`key_sql`, display text) of the rows `sql` selects.
Result<std::vector<std::pair<int64_t, std::vector<std::string>>>> ReadRowidsAndKeys(
    SourceDb& db, const std::string& sql, const std::string& candidates) {
  DQA_ASSIGN_OR_RETURN(Statement stmt,
                       PrepareWithCandidates(db, sql, candidates, StepBudget::kWhole));
  std::vector<std::pair<int64_t, std::vector<std::string>>> out;
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    out.emplace_back(stmt.ColumnInt(0), DisplayKey(stmt, 1));
  }
  return out;
}

// The listed rows of a night that kept its verdicts are read in key order on two connections from
// this many rows on, as two halves merged here (ReadRowidsAndKeysSplit).
constexpr size_t kSplitSampleRows = 1000;

// The `terms` ORDER BY terms of the current row of `stmt`, from column `first` on.
std::vector<OrderValue> ReadOrderValues(Statement& stmt, int first, size_t terms) {
  std::vector<OrderValue> out;
  out.reserve(terms);
  for (size_t t = 0; t < terms; ++t) {
    const Value v = stmt.Read(first + static_cast<int>(t));
    out.push_back({v.type, v.integer, v.real, std::string(v.bytes)});
  }
  return out;
}

// A row of the listed rows' query: its rowid, its ORDER BY terms, its table key (display text).
struct KeyedRow {
  int64_t rowid = 0;
  std::vector<OrderValue> order;
  std::vector<std::string> key;
};

// Runs `sql` (rowid, `terms` ORDER BY terms, then the table key) on the rows `rowids` of `db`.
Status ReadKeyedRows(SourceDb& db, const std::string& sql, const std::vector<int64_t>& rowids,
                     size_t terms, std::vector<KeyedRow>& out) {
  DQA_ASSIGN_OR_RETURN(Statement stmt,
                       PrepareWithCandidates(db, sql, fmt::format("[{}]", fmt::join(rowids, ",")),
                                             StepBudget::kWhole));
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    KeyedRow row;
    row.rowid = stmt.ColumnInt(0);
    row.order = ReadOrderValues(stmt, 1, terms);
    row.key = DisplayKey(stmt, static_cast<int>(1 + terms));
    out.push_back(std::move(row));
  }
}

using RowidsAndKeys = std::vector<std::pair<int64_t, std::vector<std::string>>>;

// The rows of `halves` that `sql` (rowid, the ORDER BY terms, then the table key, in key order)
// selects, read at once, this connection one half and `other` (in the same snapshot) the other,
// then merged by their ORDER BY terms compared as SQLite compares them (`collations`, one per
// term). No group of equal keys spans both halves (they are cut by a bit of the key hash), so
// rows of different halves never compare equal on those terms: when two do, nullopt says to
// read them with one query instead, as it does when either half cannot be read.
std::optional<RowidsAndKeys> ReadRowidsAndKeysSplit(SourceDb& db, SourceDb& other,
                                                    const std::string& sql,
                                                    const std::vector<int64_t> (&halves)[2],
                                                    const std::vector<Collation>& collations) {
  std::vector<KeyedRow> rows[2];
  Status statuses[2] = {Status::Ok(), Status::Ok()};
  std::thread second;
  try {
    second = std::thread([&] {
      try {
        statuses[1] = ReadKeyedRows(other, sql, halves[1], collations.size(), rows[1]);
      } catch (const std::exception& e) {
        statuses[1] = Internal(e.what());
      }
    });
  } catch (const std::system_error&) {
    return std::nullopt;  // no thread to be had: one query
  }
  try {
    statuses[0] = ReadKeyedRows(db, sql, halves[0], collations.size(), rows[0]);
  } catch (const std::exception& e) {  // (the other thread is joined first, whatever)
    statuses[0] = Internal(e.what());
  }
  second.join();
  if (!statuses[0].ok() || !statuses[1].ok()) return std::nullopt;
  RowidsAndKeys out;
  out.reserve(rows[0].size() + rows[1].size());
  size_t at[2] = {0, 0};
  while (at[0] < rows[0].size() || at[1] < rows[1].size()) {
    size_t from = 0;
    if (at[0] == rows[0].size()) {
      from = 1;
    } else if (at[1] < rows[1].size()) {
      const KeyedRow& a = rows[0][at[0]];
      const KeyedRow& b = rows[1][at[1]];
      int c = 0;
      for (size_t t = 0; t < collations.size() && c == 0; ++t) {
        c = CompareOrderValues(a.order[t], b.order[t], collations[t]);
      }
      if (c == 0) return std::nullopt;
      from = c < 0 ? 0 : 1;
    }
    KeyedRow& row = rows[from][at[from]++];
    out.emplace_back(row.rowid, std::move(row.key));
  }
  return out;
}

// A grouping of the touched groups' rows is split over two connections from this many candidate
// rows on (each row is a lookup of some microseconds; another connection costs a millisecond or
// two to open, on the other core).
constexpr size_t kSplitGroupingRows = 2000;

bool SplitsGrouping(bool previous, const std::function<Result<std::unique_ptr<SourceDb>>()>& open,
                    size_t candidates) {
  return previous && open && candidates >= kSplitGroupingRows;
}

// One row of the grouping query: the rows of the group in each check's scope, and its rowids.
struct GroupRow {
  std::vector<int64_t> counts;
  std::string members;  // group_concat(rowid)
  std::vector<OrderValue> order;  // its compared keys
};

// Runs the grouping query `sql` (`checks` counts, the group's rowids, then its `terms` compared
// keys) on the candidate rows `rowids` of `db`, appending each group to `out`.
Status ReadGroupRows(SourceDb& db, const std::string& sql, const std::vector<int64_t>& rowids,
                     size_t checks, size_t terms, std::vector<GroupRow>& out) {
  DQA_ASSIGN_OR_RETURN(Statement stmt,
                       PrepareWithCandidates(db, sql, fmt::format("[{}]", fmt::join(rowids, ",")),
                                             StepBudget::kPerStep));
  while (true) {
    DQA_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    GroupRow row;
    for (size_t i = 0; i < checks; ++i) row.counts.push_back(stmt.ColumnInt(static_cast<int>(i)));
    row.members = std::string(stmt.ColumnText(static_cast<int>(checks)));
    row.order = ReadOrderValues(stmt, static_cast<int>(checks) + 1, terms);
    out.push_back(std::move(row));
  }
}

// For every distinct set of key expressions (KeyExpressions: key columns and how they are compared)
// among `checks` runs ONE grouping query over the table's rows in scope with all key columns
// non-NULL, and sets each check's violations (rows beyond the first
// of each group) and groups; a second query fetches samples (key tuples `key_sql` of the rows of
// duplicated groups, ordered by the compared keys then the table key) only for checks with
// violations. A SQL error becomes the error of the checks of that query.
void RunDuplicateGrouping(SourceDb& db, const std::string& table, const std::string& filter,
                          const std::vector<std::string>& key_sql,
                          const std::vector<DuplicateEvaluator*>& checks, int samples,
                          GroupingMemos* memos,
                          const std::function<Result<std::unique_ptr<SourceDb>>()>& open) {
  std::map<std::vector<std::string>, std::vector<DuplicateEvaluator*>> by_keys;
  for (DuplicateEvaluator* c : checks) {
    if (!c->has_error()) by_keys[KeyExpressions(db, table, *c)].push_back(c);
  }
  const std::string from = db.QualifiedTable(table);
  // Another connection in the same snapshot (`open`), opened when a grouping or a reading of the
  // listed rows is split, then kept for the next one.
  std::unique_ptr<SourceDb> other_db;
  for (const auto& by_key : by_keys) {
    // (named references, not a structured binding: the lambdas below capture `group`, which
    // Clang before 16 refuses for a binding)
    const std::vector<std::string>& keys = by_key.first;
    const std::vector<DuplicateEvaluator*>& group = by_key.second;
    std::vector<std::string> not_null;
    for (const std::string& c : group.front()->spec().columns) {
      not_null.push_back(QuoteIdent(c) + " IS NOT NULL");
    }
    const std::string cols = fmt::format("{}", fmt::join(keys, ", "));
    not_null.insert(not_null.begin(), filter);
    // When every check hashed its keys in the scan, only rows whose hash another row shares can be
    // in a group: the queries below read those rows alone (by rowid) instead of grouping the whole
    // table, unless they are most of it. Exact either way: SQL still decides which keys are equal.
    std::vector<int64_t> candidates;
    bool hashed = true;
    int64_t in_scope = 0;
    for (DuplicateEvaluator* c : group) {
      in_scope = std::max(in_scope, c->rows_checked());
      auto own = c->CandidateRowids(memos);
      if (!own) {
        hashed = false;
        continue;
      }
      std::vector<int64_t> both;
      std::set_union(candidates.begin(), candidates.end(), own->begin(), own->end(),
                     std::back_inserter(both));
      candidates = std::move(both);
    }
    const int wanted = std::max(samples, static_cast<int>(kListedFailingRows));
    // The verdicts memo (GroupVerdicts): kept when every check found its candidates through the
    // memo of its key hashes and none takes `by`; reused when this scan read only some ranges.
    bool keep_verdicts = hashed && memos != nullptr;
    std::string verdicts_name = "duplicate groups:";
    // (the first part, 2, is the memo's format: first groups kept with their compared keys)
    std::string verdicts_key =
        fmt::format("2|{}|{}|{}|{}", cols, filter, fmt::join(key_sql, ","), wanted);
    for (DuplicateEvaluator* c : group) {
      keep_verdicts = keep_verdicts && c->memo_mode() && c->spec().by.empty();
      verdicts_name += c->spec().id + ",";
      verdicts_key += "|" + c->spec().id + "|" + c->spec().where;
    }
    // hash of every candidate (all of them, or the touched ones when the previous verdicts hold)
    std::vector<DuplicateEvaluator::Pair> pairs;  // (hash, rowid), sorted, distinct
    HashOfRow hash_of;
    std::vector<uint64_t> candidate_hashes;  // sorted, distinct
    std::vector<uint64_t> touched;           // sorted, distinct
    if (keep_verdicts) {
      for (DuplicateEvaluator* c : group) {
        pairs.insert(pairs.end(), c->candidate_pairs().begin(), c->candidate_pairs().end());
        touched.insert(touched.end(), c->touched().begin(), c->touched().end());
      }
      std::sort(pairs.begin(), pairs.end());
      pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
      std::sort(touched.begin(), touched.end());
      touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
      for (const auto& [h, rowid] : pairs) {
        if (candidate_hashes.empty() || candidate_hashes.back() != h) candidate_hashes.push_back(h);
      }
      hash_of.Assign(pairs);
    }
    auto is_touched = [&](uint64_t h) { return std::binary_search(touched.begin(), touched.end(), h); };
    // Whether each of candidate_hashes is touched (both lists are sorted: one walk).
    std::vector<bool> hash_touched(candidate_hashes.size(), false);
    for (size_t h = 0, t = 0; h < candidate_hashes.size(); ++h) {
      while (t < touched.size() && touched[t] < candidate_hashes[h]) ++t;
      hash_touched[h] = t < touched.size() && touched[t] == candidate_hashes[h];
    }
    std::optional<GroupVerdicts> previous;
    if (keep_verdicts && group.front()->partial()) {
      bool partial = true;
      for (DuplicateEvaluator* c : group) partial = partial && c->partial();
      std::optional<FileBytes> bytes = partial ? memos->Load(verdicts_name) : std::nullopt;
      if (bytes) previous = GroupVerdicts::Decode(bytes->view(), group.size());
      if (previous && previous->key != verdicts_key) previous.reset();
      // Every untouched group must have its verdicts, and every check enough untouched groups
      // first in key order for its listed rows (or all of its groups).
      for (size_t h = 0; previous && h < candidate_hashes.size(); ++h) {
        if (!hash_touched[h] && previous->Find(candidate_hashes[h]) == nullptr) previous.reset();
      }
      for (size_t i = 0; previous && i < group.size(); ++i) {
        int64_t rows = 0;
        for (const auto& g : previous->samples[i].groups) {
          if (!is_touched(g.hash)) rows += g.rows;
        }
        if (!previous->samples[i].complete && rows < wanted) previous.reset();
      }
    }
    // The first groups kept hold twice the rows listed: a night that reads some ranges again
    // touches a few of them, and the rest must still hold the rows listed.
    const int64_t keep_rows = keep_verdicts ? 2 * static_cast<int64_t>(wanted) : wanted;
    GroupVerdicts next;
    next.key = verdicts_key;
    next.samples.resize(group.size());
    std::vector<int64_t> untouched_figures(2 * group.size(), 0);
    if (previous) {
      // Only the rows of touched groups go to SQL.
      candidates.clear();
      for (size_t p = 0, h = 0; p < pairs.size(); ++p) {
        while (candidate_hashes[h] != pairs[p].first) ++h;  // (pairs and hashes in one order)
        if (hash_touched[h]) candidates.push_back(pairs[p].second);
      }
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
      for (size_t h = 0; h < candidate_hashes.size(); ++h) {
        if (hash_touched[h]) continue;
        const GroupVerdicts::Group* g = previous->Find(candidate_hashes[h]);
        for (size_t f = 0; f < g->figures.size(); ++f) untouched_figures[f] += g->figures[f];
      }
      spdlog::debug("duplicate grouping of {} on {}: {} candidate row(s) grouped again{}, the "
                    "verdicts of {} group(s) kept",
                    verdicts_name, table, candidates.size(),
                    SplitsGrouping(true, open, candidates.size()) ? " on two connections" : "",
                    std::count_if(candidate_hashes.begin(), candidate_hashes.end(),
                                  [&](uint64_t h) { return !is_touched(h); }));
    }
    if (hashed && candidates.empty() && !previous) {
      for (DuplicateEvaluator* c : group) c->SetGrouping(0, 0);
      if (keep_verdicts) memos->Keep(verdicts_name, next.Encode());
      continue;
    }
    std::string candidate_list;  // bound to ?1 (kCandidateTerm), whatever its length
    if (hashed && (previous || static_cast<int64_t>(candidates.size()) * 2 <= in_scope)) {
      candidate_list = fmt::format("[{}]", fmt::join(candidates, ","));
      not_null.emplace_back(kCandidateTerm);
    }
    // Per group of equal keys, the rows in scope of each check (its `where` as a count).
    std::vector<std::string> inner;
    for (size_t i = 0; i < group.size(); ++i) {
      const std::string& where = group[i]->spec().where;
      inner.push_back(where.empty()
                          ? fmt::format("count(*) AS n{}", i)
                          : fmt::format("sum(CASE WHEN ({}) THEN 1 ELSE 0 END) AS n{}", where, i));
    }
    std::vector<int64_t> violations(group.size(), 0);
    // The rows of the first groups in key order, per check, enough for its samples (hashed, no
    // verdicts kept from the previous scan).
    std::vector<std::vector<int64_t>> sample_rows(group.size());
    std::vector<bool> capped(group.size(), false);  // a group of the check left out of sample_rows
    // The same per part of the candidates (hashed only: one part, or two grouped at once).
    std::vector<std::vector<bool>> capped_in;
    if (hashed) {
      // A rowid table: one query lists each group's rowids in key order; the samples then read
      // the rows of the first groups alone.
      const std::string sql = fmt::format(
          "SELECT {0}, group_concat(rowid), {3} FROM {1} WHERE {2} GROUP BY {3} "
          "HAVING count(*) > 1 ORDER BY {3}",
          fmt::join(inner, ", "), from, Conjunction(not_null), cols);
      std::vector<int64_t> groups(group.size(), 0);
      // The SQL's figures per candidate hash (for the verdicts memo).
      std::unordered_map<uint64_t, std::vector<int64_t>> figures;
      // Per part of the candidates (one, or two grouped at once: below), per check: the rows
      // collected for sample_rows, and whether a group was left out.
      std::vector<std::vector<int64_t>> collected;
      // Takes one group of equal keys of part `part`: the rows of it in each check's scope
      // (`count(i)`), its rowids (`member_list`, the group_concat text) and its compared keys
      // (`order()`), in key order within its part.
      auto take = [&](size_t part, const auto& count, std::string_view member_list,
                      const auto& order) {
        std::vector<int64_t> members;
        auto read_members = [&] {
          if (!members.empty()) return;
          for (std::string_view list = member_list; !list.empty();) {
            const size_t comma = std::min(list.find(','), list.size());
            int64_t rowid = 0;
            std::from_chars(list.data(), list.data() + comma, rowid);
            members.push_back(rowid);
            list.remove_prefix(std::min(comma + 1, list.size()));
          }
        };
        // This group's hash (that of a member in some check's scope: a row in none, grouped
        // when the query reads the whole table, is no candidate) and its figures.
        std::vector<int64_t>* own = nullptr;
        uint64_t own_hash = 0;
        if (keep_verdicts) {
          read_members();
          const uint64_t* h = nullptr;
          for (size_t m = 0; m < members.size() && h == nullptr; ++m) h = hash_of.Find(members[m]);
          // (none: no check has two rows of the group in its scope, so none counts it)
          if (h != nullptr) {
            own_hash = *h;
            own = &figures[own_hash];
            own->resize(2 * group.size(), 0);
          }
        }
        for (size_t i = 0; i < group.size(); ++i) {
          const int64_t n = count(i);
          if (n < 2) continue;
          violations[i] += n - 1;
          ++groups[i];
          if (own != nullptr) {
            (*own)[2 * i] += n - 1;
            (*own)[2 * i + 1] += 1;
          }
          // Two halves keep half as many rows each: each still holds the rows listed of its own
          // groups, so both hold those of all of them, and the groups certain to come first
          // (up to where the first half to leave a group out ends) hold at least as many.
          const int64_t part_rows =
              collected.size() == 1 ? keep_rows : std::max<int64_t>(wanted, (keep_rows + 1) / 2);
          if (collected[part][i] >= part_rows) {
            capped_in[part][i] = true;
            continue;
          }
          read_members();
          // (a night that kept the verdicts reads its listed rows from the groups kept below)
          if (!previous) sample_rows[i].insert(sample_rows[i].end(), members.begin(), members.end());
          collected[part][i] += n;
          if (keep_verdicts && own != nullptr) {
            next.samples[i].groups.push_back(
                {own_hash, n, members, order(), static_cast<int>(part)});
          }
        }
      };
      Status status = Status::Ok();
      const size_t n_checks = group.size();
      if ((!candidates.empty() || !previous) && !SplitsGrouping(previous.has_value(), open,
                                                                candidates.size())) {
        collected.assign(1, std::vector<int64_t>(n_checks, 0));
        capped_in.assign(1, std::vector<bool>(n_checks, false));
        auto stmt = PrepareWithCandidates(db, sql, candidate_list, StepBudget::kPerStep);
        status = stmt.status();
        while (status.ok()) {
          Result<bool> has_row = stmt->Step();
          if (!has_row.ok() || !*has_row) {
            status = has_row.status();
            break;
          }
          take(0, [&](size_t i) { return stmt->ColumnInt(static_cast<int>(i)); },
               stmt->ColumnText(static_cast<int>(n_checks)),
               [&] { return ReadOrderValues(*stmt, static_cast<int>(n_checks) + 1, keys.size()); });
        }
      } else if (!candidates.empty()) {
        // Two halves of the candidates by a bit of their key hash (the rows of a group of equal
        // keys share their hash, so no group spans both halves), grouped at once: this
        // connection groups one, another connection in the same snapshot the other. Each half
        // collects its own first groups, so the two hold the first groups of all of them.
        std::vector<int64_t> halves[2];
        for (const int64_t rowid : candidates) halves[*hash_of.Find(rowid) & 1].push_back(rowid);
        std::vector<GroupRow> rows[2];
        Status statuses[2] = {Status::Ok(), Status::Ok()};
        bool other_opened = false;
        std::thread other([&] {
          try {
            if (other_db == nullptr) {
              Result<std::unique_ptr<SourceDb>> conn = open();
              if (!conn.ok()) return;
              other_db = std::move(conn).value();
            }
            other_opened = true;
            statuses[1] = ReadGroupRows(*other_db, sql, halves[1], n_checks, keys.size(), rows[1]);
          } catch (const std::exception& e) {
            other_opened = true;
            statuses[1] = Internal(e.what());
          }
        });
        try {
          statuses[0] = ReadGroupRows(db, sql, halves[0], n_checks, keys.size(), rows[0]);
        } catch (const std::exception& e) {  // (the other thread is joined first, whatever)
          statuses[0] = Internal(e.what());
        }
        other.join();
        if (!other_opened) statuses[1] = ReadGroupRows(db, sql, halves[1], n_checks, keys.size(), rows[1]);
        status = statuses[0].ok() ? statuses[1] : statuses[0];
        collected.assign(2, std::vector<int64_t>(n_checks, 0));
        capped_in.assign(2, std::vector<bool>(n_checks, false));
        for (size_t part = 0; part < 2 && status.ok(); ++part) {
          for (const GroupRow& row : rows[part]) {
            take(part, [&](size_t i) { return row.counts[i]; }, row.members,
                 [&] { return row.order; });
          }
        }
      }
      for (size_t i = 0; i < n_checks; ++i) {
        for (const std::vector<bool>& part : capped_in) capped[i] = capped[i] || part[i];
      }
      if (!status.ok()) {
        for (DuplicateEvaluator* c : group) c->SetError(status.message());
        continue;
      }
      for (size_t i = 0; i < group.size(); ++i) {
        violations[i] += untouched_figures[2 * i];
        groups[i] += untouched_figures[2 * i + 1];
        group[i]->SetGrouping(violations[i], groups[i]);
      }
      if (keep_verdicts) {
        for (uint64_t h : candidate_hashes) {
          GroupVerdicts::Group g{h, std::vector<int64_t>(2 * group.size(), 0)};
          if (previous && !is_touched(h)) {
            g.figures = previous->Find(h)->figures;
          } else if (const auto it = figures.find(h); it != figures.end()) {
            g.figures = it->second;
          }
          next.groups.push_back(std::move(g));
        }
        for (size_t i = 0; i < group.size(); ++i) next.samples[i].complete = !capped[i];
      }
    } else {
      // Rows beyond the first and groups with more than one row, per check.
      std::vector<std::string> outer;
      for (size_t i = 0; i < group.size(); ++i) {
        outer.push_back(
            fmt::format("sum(CASE WHEN n{0} > 1 THEN n{0} - 1 ELSE 0 END), "
                        "sum(CASE WHEN n{0} > 1 THEN 1 ELSE 0 END)",
                        i));
      }
      const std::string sql = fmt::format(
          "SELECT {} FROM (SELECT {} FROM {} WHERE {} GROUP BY {} HAVING count(*) > 1) AS g",
          fmt::join(outer, ", "), fmt::join(inner, ", "), from, Conjunction(not_null), cols);
      // Per step: the first step groups the whole table, within one statement budget.
      auto stmt = PrepareWithCandidates(db, sql, candidate_list, StepBudget::kPerStep);
      Result<bool> has_row = stmt.ok() ? stmt->Step() : Result<bool>(stmt.status());
      if (!has_row.ok()) {
        for (DuplicateEvaluator* c : group) c->SetError(has_row.status().message());
        continue;
      }
      for (size_t i = 0; i < group.size(); ++i) {
        const int col = static_cast<int>(2 * i);
        // sum() over no groups is NULL, which ColumnInt reads as 0.
        violations[i] = *has_row ? stmt->ColumnInt(col) : 0;
        group[i]->SetGrouping(violations[i], *has_row ? stmt->ColumnInt(col + 1) : 0);
      }
    }
    for (size_t i = 0; i < group.size(); ++i) {
      DuplicateEvaluator* c = group[i];
      if (violations[i] == 0 || c->spec().by.empty()) continue;
      std::vector<std::string> terms = not_null;
      terms.push_back(c->spec().where);
      if (Status s = CountUnitViolations(db, from, Conjunction(terms), cols, key_sql,
                                         candidate_list, *c);
          !s.ok()) {
        c->SetError(s.message());
      }
    }
    for (size_t i = 0; i < group.size(); ++i) {
      DuplicateEvaluator* c = group[i];
      if (violations[i] == 0) continue;
      // The samples and the listed failing rows in one query.
      Result<std::vector<std::vector<std::string>>> fetched = std::vector<std::vector<std::string>>();
      if (hashed && previous) {
        std::vector<std::string> terms = {filter};
        for (const std::string& k : c->spec().columns) terms.push_back(QuoteIdent(k) + " IS NOT NULL");
        terms.push_back(c->spec().where);
        terms.emplace_back(kCandidateTerm);
        std::vector<Collation> collations;
        for (const std::string& column : c->spec().columns) {
          const std::optional<Collation> known =
              BuiltInCollation(db.ColumnCollation(db.MainSchema(), table, column));
          if (known) collations.push_back(*known);
        }
        const bool collated = collations.size() == c->spec().columns.size();
        // Reads the rows of `halves` (split by a bit of their key hash) in key order, with their
        // table key: on two connections when there are many and every key is compared by a
        // collating sequence of SQLite's own (ReadRowidsAndKeysSplit), else with one query.
        auto read_in_key_order = [&](std::vector<int64_t>(&halves)[2]) -> Result<RowidsAndKeys> {
          const size_t count = halves[0].size() + halves[1].size();
          if (open && db.engine() == Engine::kSqlite && count >= kSplitSampleRows && collated) {
            if (other_db == nullptr) {
              Result<std::unique_ptr<SourceDb>> conn = open();
              if (conn.ok()) other_db = std::move(conn).value();
            }
            if (other_db != nullptr) {
              std::optional<RowidsAndKeys> split = ReadRowidsAndKeysSplit(
                  db, *other_db,
                  fmt::format("SELECT rowid, {0}, {1} FROM {2} WHERE {3} ORDER BY {0}, {1}", cols,
                              fmt::join(key_sql, ", "), from, Conjunction(terms)),
                  halves, collations);
              spdlog::debug("duplicate check {} on {}: {} listed row(s) {}", c->spec().id, table,
                            count,
                            split ? "read in key order on two connections"
                                  : "not merged from two connections; read with one query");
              if (split) return std::move(*split);
            }
          }
          std::vector<int64_t> all = halves[0];
          all.insert(all.end(), halves[1].begin(), halves[1].end());
          return ReadRowidsAndKeys(
              db,
              fmt::format("SELECT rowid, {0} FROM {1} WHERE {2} ORDER BY {3}, {0}",
                          fmt::join(key_sql, ", "), from, Conjunction(terms), cols),
              fmt::format("[{}]", fmt::join(all, ",")));
        };
        // The groups in key order: this scan's touched ones (in key order within each part of
        // its grouping) and the untouched first ones of the previous scan, merged by their
        // compared keys; only the rows of the first of them that hold the rows listed are read.
        std::vector<GroupVerdicts::SampleGroup> touched_groups = std::move(next.samples[i].groups);
        std::vector<const GroupVerdicts::SampleGroup*> carried;
        for (const auto& g : previous->samples[i].groups) {
          if (!is_touched(g.hash)) carried.push_back(&g);
        }
        std::optional<std::vector<const GroupVerdicts::SampleGroup*>> in_order;
        if (collated) {
          in_order = MergeGroupsInKeyOrder(touched_groups, capped_in.size(), carried, collations);
        }
        Result<RowidsAndKeys> rows = RowidsAndKeys();
        std::vector<int64_t> halves[2];
        auto read_rows_of = [&](const GroupVerdicts::SampleGroup& g) {
          halves[g.hash & 1].insert(halves[g.hash & 1].end(), g.members.begin(), g.members.end());
        };
        if (in_order) {
          int64_t held = 0;
          size_t read_groups = 0;
          for (size_t at = 0; at < in_order->size() && held < wanted; ++at) {
            const GroupVerdicts::SampleGroup& g = *(*in_order)[at];
            held += g.rows;
            read_rows_of(g);
            read_groups = at + 1;
          }
          spdlog::debug("duplicate check {} on {}: the rows of the first {} of {} group(s) in key "
                        "order read for its listed row(s)",
                        c->spec().id, table, read_groups, in_order->size());
          rows = read_in_key_order(halves);
        } else {
          // (keys not kept, or two groups found equal: every row is read, and the groups come in
          // the order of their rows)
          spdlog::debug("duplicate check {} on {}: the groups of its listed row(s) not ordered by "
                        "their keys; every row of them read",
                        c->spec().id, table);
          for (const auto& g : touched_groups) read_rows_of(g);
          for (const GroupVerdicts::SampleGroup* g : carried) read_rows_of(*g);
          rows = read_in_key_order(halves);
          if (rows.ok()) {
            std::unordered_map<int64_t, const GroupVerdicts::SampleGroup*> group_of;
            for (const auto& g : touched_groups) {
              for (int64_t m : g.members) group_of[m] = &g;
            }
            for (const GroupVerdicts::SampleGroup* g : carried) {
              for (int64_t m : g->members) group_of[m] = g;
            }
            in_order.emplace();
            std::set<const GroupVerdicts::SampleGroup*> taken;
            for (const auto& row : *rows) {
              const auto it = group_of.find(row.first);
              if (it != group_of.end() && taken.insert(it->second).second) {
                in_order->push_back(it->second);
              }
            }
          }
        }
        if (!rows.ok()) {
          fetched = rows.status();
        } else {
          std::vector<std::vector<std::string>> first_keys;
          for (size_t r = 0; r < rows->size() && r < static_cast<size_t>(wanted); ++r) {
            first_keys.push_back((*rows)[r].second);
          }
          fetched = std::move(first_keys);
          // Which groups are first in key order for certain: up to the last group carried
          // (unless all were) and the last touched group of each part of the grouping that left
          // a group out (each part holds its own first groups).
          const std::set<const GroupVerdicts::SampleGroup*> was_carried(carried.begin(),
                                                                        carried.end());
          std::optional<size_t> last_carried;
          std::vector<std::optional<size_t>> last_touched(capped_in.size());
          for (size_t at = 0; at < in_order->size(); ++at) {
            const GroupVerdicts::SampleGroup* g = (*in_order)[at];
            if (was_carried.contains(g)) {
              last_carried = at;
            } else {
              last_touched[static_cast<size_t>(g->part)] = at;
            }
          }
          size_t cut = in_order->size();
          if (last_carried && !previous->samples[i].complete) cut = std::min(cut, *last_carried + 1);
          for (size_t part = 0; part < capped_in.size(); ++part) {
            if (last_touched[part] && capped_in[part][i]) cut = std::min(cut, *last_touched[part] + 1);
          }
          std::vector<GroupVerdicts::SampleGroup> first;
          for (size_t at = 0; at < cut; ++at) first.push_back(*(*in_order)[at]);
          next.samples[i].groups = std::move(first);
          next.samples[i].complete = previous->samples[i].complete && !capped[i];
        }
      } else if (hashed) {
        std::vector<std::string> terms = {filter};
        for (const std::string& k : c->spec().columns) terms.push_back(QuoteIdent(k) + " IS NOT NULL");
        terms.push_back(c->spec().where);
        terms.emplace_back(kCandidateTerm);
        fetched = FetchGroupRows(db, from, Conjunction(terms), cols, key_sql,
                                 fmt::format("[{}]", fmt::join(sample_rows[i], ",")), wanted);
      } else {
        std::vector<std::string> terms = not_null;
        terms.push_back(c->spec().where);
        fetched = FetchSamples(db, from, Conjunction(terms), cols, key_sql, candidate_list, wanted);
      }
      if (!fetched.ok()) {
        c->SetError(fetched.status().message());
      } else {
        c->SetSamples(std::move(fetched).value());
      }
    }
    bool ok = true;
    for (DuplicateEvaluator* c : group) ok = ok && !c->has_error();
    if (keep_verdicts && ok) memos->Keep(verdicts_name, next.Encode());
  }
}

class DuplicateType : public EvaluatedCheckType<DuplicateEvaluator> {
 public:
  DuplicateType()
      : EvaluatedCheckType({
            .name = "duplicate",
            .summary = "Rows repeat an earlier row's values in the key columns.",
            .dimension = Dimension::kUniqueness,
            .shape = CheckShape::kGrouped,
            .params = {{.name = "columns", .type = ParamType::kColumns, .required = true,
                        .description = "the columns whose values together must be unique"},
                       {.name = "normalize", .type = ParamType::kString,
                        .description = "how text keys are compared: none (as stored), nfc "
                                       "(Unicode NFC), fold (NFC, case folded, whitespace "
                                       "collapsed)",
                        .default_value = "nfc",
                        .choices = {"none", "nfc", "fold"}}},
            .has_groups = true,
            .supports_by = true,
        }) {}
  void RunGrouping(SourceDb& db, const GroupingScope& scope,
                   const std::vector<RowEvaluator*>& evaluators) const override {
    std::vector<DuplicateEvaluator*> checks;
    for (RowEvaluator* e : evaluators) checks.push_back(static_cast<DuplicateEvaluator*>(e));
    RunDuplicateGrouping(db, scope.table, scope.filter, scope.key_sql, checks, scope.samples,
                         scope.memos, scope.open);
    // The memos are kept only when every check came out without an error.
    if (scope.memos == nullptr) return;
    for (DuplicateEvaluator* c : checks) {
      if (c->has_error()) return;
    }
    for (DuplicateEvaluator* c : checks) c->KeepMemo(*scope.memos);
  }
};

}  // namespace

std::unique_ptr<CheckType> DuplicateCheckType() { return std::make_unique<DuplicateType>(); }

}  // namespace dqa
