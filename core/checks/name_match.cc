#include "core/checks/name_match.h"

#include <unicode/uchar.h>

#include "core/checks/vietnamese_syllable.h"
#include "core/util/text.h"

namespace dqa {
namespace name_match_detail {

// Builds the two forms token by token, reusing the output's buffers.
class NameBuilder {
 public:
  explicit NameBuilder(NormalizedName& out) : out_(out) {
    out_.accented.clear();
    out_.folded.clear();
  }

  // Starts a token: a separating space, and the offsets where its text begins.
  void BeginToken() {
    if (tokens_ > 0) {
      out_.accented += ' ';
      out_.folded += ' ';
    }
    accented_begin_ = out_.accented.size();
    folded_begin_ = out_.folded.size();
  }

  // Ends the token begun last: copies its text into the token lists (strings reused).
  void EndToken() {
    Assign(out_.tokens_accented, std::string_view(out_.accented).substr(accented_begin_));
    Assign(out_.tokens_folded, std::string_view(out_.folded).substr(folded_begin_));
    ++tokens_;
  }

  void Finish() {
    out_.tokens_accented.resize(tokens_);
    out_.tokens_folded.resize(tokens_);
  }

  std::string& accented() { return out_.accented; }
  std::string& folded() { return out_.folded; }

 private:
  void Assign(std::vector<std::string>& tokens, std::string_view text) const {
    if (tokens_ < tokens.size()) {
      tokens[tokens_].assign(text);
    } else {
      tokens.emplace_back(text);
    }
  }

  NormalizedName& out_;
  size_t tokens_ = 0;
  size_t accented_begin_ = 0;
  size_t folded_begin_ = 0;
};

void NormalizeAscii(std::string_view text, NameBuilder& builder) {
  bool in_token = false;
  for (const char c : text) {
    if (IsWhitespace(static_cast<unsigned char>(c))) {
      if (in_token) builder.EndToken();
      in_token = false;
      continue;
    }
    if (!in_token) builder.BeginToken();
    in_token = true;
    const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    builder.accented() += lower;
    builder.folded() += lower;
  }
  if (in_token) builder.EndToken();
}

// Writes one word (case-folded NFD code points) as a token.
void EmitWord(const std::u32string& word, NameBuilder& builder) {
  thread_local std::vector<VnLetter> letters;
  thread_local std::string scratch, nfc_scratch;
  builder.BeginToken();
  if (SplitVnLetters(word, letters)) {
    VnSyllable syllable;
    if (ParseVnSyllable(letters, /*strict=*/false, syllable) && syllable.tone != VnTone::kLevel) {
      for (VnLetter& letter : letters) letter.tone = VnTone::kLevel;
      letters[syllable.canonical_tone_position].tone = syllable.tone;
    }
    for (const VnLetter& letter : letters) {
      AppendVnLetter(letter, /*fold=*/false, builder.accented());
      AppendVnLetter(letter, /*fold=*/true, builder.folded());
    }
  } else {
    // Marks that are not Vietnamese (or a mark with no letter): ICU composes the accented form.
    scratch.clear();
    for (const char32_t c : word) {
      AppendUtf8(scratch, c);
      if (u_getCombiningClass(static_cast<UChar32>(c)) != 0 ||
          u_charType(static_cast<UChar32>(c)) == U_NON_SPACING_MARK) {
        continue;
      }
      AppendUtf8(builder.folded(), c == 0x0111 ? U'd' : c);
    }
    builder.accented() += NfcView(scratch, nfc_scratch);
  }
  builder.EndToken();
}

void NormalizeUnicode(std::string_view text, NameBuilder& builder) {
  thread_local std::u32string code_points, word;
  ToCodePoints(text, code_points);
  word.clear();
  for (const char32_t c : code_points) {
    if (IsWhitespace(c)) {
      if (!word.empty()) EmitWord(word, builder);
      word.clear();
      continue;
    }
    AppendFoldedNfd(c, word);
  }
  if (!word.empty()) EmitWord(word, builder);
}

}  // namespace name_match_detail

void NormalizeNameInto(std::string_view text, NormalizedName& out) {
  name_match_detail::NameBuilder builder(out);
  if (IsAscii(text)) {
    name_match_detail::NormalizeAscii(text, builder);
  } else {
    name_match_detail::NormalizeUnicode(text, builder);
  }
  builder.Finish();
}

NormalizedName NormalizeName(std::string_view text) {
  NormalizedName out;
  NormalizeNameInto(text, out);
  return out;
}

}  // namespace dqa
