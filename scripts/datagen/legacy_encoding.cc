#include "scripts/datagen/legacy_encoding.h"

#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "dqaudit/utf8.h"

namespace dqa::datagen {
namespace {

using sdk::AppendUtf8;
using sdk::DecodeUtf8;

// The twelve Vietnamese vowels, each with its six tones in the order: none, sắc (acute), huyền
// (grave), hỏi (hook above), ngã (tilde), nặng (dot below).
enum class Vni { kPlain, kCircumflex, kBreve, kI, kHornO, kHornU };
struct Vowel {
  std::array<const char*, 6> lower;
  std::array<const char*, 6> upper;
  std::array<uint8_t, 6> tcvn3;  // TCVN3 bytes of the lower-case letters
  uint8_t tcvn3_upper;           // TCVN3 byte of the upper-case letter without tone
  char base;                     // VNI: the ASCII letter written first
  Vni vni;
};

const std::vector<Vowel>& Vowels() {
  static const std::vector<Vowel> kVowels = {
      {{"a", "á", "à", "ả", "ã", "ạ"}, {"A", "Á", "À", "Ả", "Ã", "Ạ"},
       {'a', 0xB8, 0xB5, 0xB6, 0xB7, 0xB9}, 'A', 'a', Vni::kPlain},
      {{"ă", "ắ", "ằ", "ẳ", "ẵ", "ặ"}, {"Ă", "Ắ", "Ằ", "Ẳ", "Ẵ", "Ặ"},
       {0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6}, 0xA1, 'a', Vni::kBreve},
      {{"â", "ấ", "ầ", "ẩ", "ẫ", "ậ"}, {"Â", "Ấ", "Ầ", "Ẩ", "Ẫ", "Ậ"},
       {0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB}, 0xA2, 'a', Vni::kCircumflex},
      {{"e", "é", "è", "ẻ", "ẽ", "ẹ"}, {"E", "É", "È", "Ẻ", "Ẽ", "Ẹ"},
       {'e', 0xD0, 0xCC, 0xCE, 0xCF, 0xD1}, 'E', 'e', Vni::kPlain},
      {{"ê", "ế", "ề", "ể", "ễ", "ệ"}, {"Ê", "Ế", "Ề", "Ể", "Ễ", "Ệ"},
       {0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6}, 0xA3, 'e', Vni::kCircumflex},
      {{"i", "í", "ì", "ỉ", "ĩ", "ị"}, {"I", "Í", "Ì", "Ỉ", "Ĩ", "Ị"},
       {'i', 0xDD, 0xD7, 0xD8, 0xDC, 0xDE}, 'I', 'i', Vni::kI},
      {{"o", "ó", "ò", "ỏ", "õ", "ọ"}, {"O", "Ó", "Ò", "Ỏ", "Õ", "Ọ"},
       {'o', 0xE3, 0xDF, 0xE1, 0xE2, 0xE4}, 'O', 'o', Vni::kPlain},
      {{"ô", "ố", "ồ", "ổ", "ỗ", "ộ"}, {"Ô", "Ố", "Ồ", "Ổ", "Ỗ", "Ộ"},
       {0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9}, 0xA4, 'o', Vni::kCircumflex},
      {{"ơ", "ớ", "ờ", "ở", "ỡ", "ợ"}, {"Ơ", "Ớ", "Ờ", "Ở", "Ỡ", "Ợ"},
       {0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE}, 0xA5, 'o', Vni::kHornO},
      {{"u", "ú", "ù", "ủ", "ũ", "ụ"}, {"U", "Ú", "Ù", "Ủ", "Ũ", "Ụ"},
       {'u', 0xF3, 0xEF, 0xF1, 0xF2, 0xF4}, 'U', 'u', Vni::kPlain},
      {{"ư", "ứ", "ừ", "ử", "ữ", "ự"}, {"Ư", "Ứ", "Ừ", "Ử", "Ữ", "Ự"},
       {0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9}, 0xA6, 'u', Vni::kHornU},
      {{"y", "ý", "ỳ", "ỷ", "ỹ", "ỵ"}, {"Y", "Ý", "Ỳ", "Ỷ", "Ỹ", "Ỵ"},
       {'y', 0xFD, 0xFA, 0xFB, 0xFC, 0xFE}, 'Y', 'y', Vni::kPlain},
  };
  return kVowels;
}
// đ and Đ.
constexpr uint8_t kTcvn3DLower = 0xAE, kTcvn3DUpper = 0xA7;
constexpr uint8_t kVniDLower = 0xF1;  // ñ (upper case Ñ, like every VNI byte: 0x20 lower)

// VNI bytes after the base letter, lower case, per tone: tone bytes of a plain vowel, and the
// combined modifier+tone bytes of â ê ô (circumflex) and ă (breve).
constexpr std::array<uint8_t, 6> kVniPlainTone = {0, 0xF9, 0xF8, 0xFB, 0xF5, 0xEF};
constexpr std::array<uint8_t, 6> kVniCircumflex = {0xE2, 0xE1, 0xE0, 0xE5, 0xE3, 0xE4};
constexpr std::array<uint8_t, 6> kVniBreve = {0xEA, 0xE9, 0xE8, 0xFA, 0xFC, 0xEB};
constexpr std::array<uint8_t, 6> kVniI = {'i', 0xED, 0xEC, 0xE6, 0xF3, 0xF2};
constexpr uint8_t kVniHornO = 0xF4, kVniHornU = 0xF6, kVniYDot = 0xEE;

// VNI bytes (as Latin-1 code points) of one lower-case vowel.
std::vector<uint8_t> VniLower(const Vowel& v, size_t tone) {
  const auto plain = [&](uint8_t base) {
    std::vector<uint8_t> out{base};
    if (kVniPlainTone[tone] != 0) out.push_back(kVniPlainTone[tone]);
    return out;
  };
  switch (v.vni) {
    case Vni::kCircumflex: return {static_cast<uint8_t>(v.base), kVniCircumflex[tone]};
    case Vni::kBreve: return {static_cast<uint8_t>(v.base), kVniBreve[tone]};
    case Vni::kI: return {kVniI[tone]};
    case Vni::kHornO: return plain(kVniHornO);
    case Vni::kHornU: return plain(kVniHornU);
    case Vni::kPlain:
      if (v.base == 'y' && tone == 5) return {kVniYDot};
      return plain(static_cast<uint8_t>(v.base));
  }
  return {};
}

// VNI's upper-case bytes are the lower-case ones minus 0x20 (ASCII and Latin-1 letters alike).
uint8_t VniUpper(uint8_t b) { return static_cast<uint8_t>(b >= 'a' ? b - 0x20 : b); }

std::string Latin1ToUtf8(const std::vector<uint8_t>& bytes) {
  std::string out;
  for (uint8_t b : bytes) AppendUtf8(out, b);
  return out;
}

struct Tables {
  std::map<std::string, std::string> tcvn3;      // NFC letter -> mojibake
  std::map<std::string, std::string> vni;
  std::map<char32_t, std::string> tcvn3_back;    // mojibake code point -> NFC letter
  std::map<std::string, std::string> vni_back;   // one or two mojibake code points -> NFC letter
};

const Tables& Maps() {
  static const Tables kTables = [] {
    Tables t;
    const auto add_tcvn3 = [&](const std::string& letter, uint8_t byte) {
      t.tcvn3[letter] = Latin1ToUtf8({byte});
      if (byte >= 0x80) t.tcvn3_back[byte] = letter;
    };
    const auto add_vni = [&](const std::string& letter, const std::vector<uint8_t>& bytes) {
      t.vni[letter] = Latin1ToUtf8(bytes);
      t.vni_back[t.vni[letter]] = letter;
    };
    for (const Vowel& v : Vowels()) {
      for (size_t tone = 0; tone < 6; ++tone) {
        add_tcvn3(v.lower[tone], v.tcvn3[tone]);
        const std::vector<uint8_t> lower = VniLower(v, tone);
        std::vector<uint8_t> upper;
        for (uint8_t b : lower) upper.push_back(VniUpper(b));
        add_vni(v.lower[tone], lower);
        add_vni(v.upper[tone], upper);
      }
      add_tcvn3(v.upper[0], v.tcvn3_upper);
    }
    add_tcvn3("đ", kTcvn3DLower);
    add_tcvn3("Đ", kTcvn3DUpper);
    add_vni("đ", {kVniDLower});
    add_vni("Đ", {VniUpper(kVniDLower)});
    return t;
  }();
  return kTables;
}

// Encodes `nfc` letter by letter with `table`; ASCII other than the table's letters is copied.
std::optional<std::string> Encode(std::string_view nfc, const std::map<std::string, std::string>& table) {
  std::string out;
  size_t pos = 0;
  while (pos < nfc.size()) {
    const size_t start = pos;
    const std::optional<char32_t> cp = DecodeUtf8(nfc, pos);
    if (!cp) return std::nullopt;
    const std::string letter(nfc.substr(start, pos - start));
    const auto it = table.find(letter);
    if (it != table.end()) {
      out += it->second;
    } else if (*cp < 0x80) {
      out += letter;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> EncodeTcvn3(std::string_view nfc) { return Encode(nfc, Maps().tcvn3); }

std::optional<std::string> EncodeVni(std::string_view nfc) { return Encode(nfc, Maps().vni); }

std::string DecodeTcvn3(std::string_view mojibake) {
  std::string out;
  size_t pos = 0;
  while (pos < mojibake.size()) {
    const size_t start = pos;
    const std::optional<char32_t> cp = DecodeUtf8(mojibake, pos);
    if (!cp) {
      pos = start + 1;  // not UTF-8: copy the byte
      out += mojibake[start];
      continue;
    }
    const auto it = Maps().tcvn3_back.find(*cp);
    out += it != Maps().tcvn3_back.end() ? it->second : std::string(mojibake.substr(start, pos - start));
  }
  return out;
}

std::string DecodeVni(std::string_view mojibake) {
  // The code point boundaries, then longest match of two code points, then one.
  std::vector<size_t> starts;
  for (size_t pos = 0; pos < mojibake.size();) {
    starts.push_back(pos);
    if (!DecodeUtf8(mojibake, pos)) ++pos;
  }
  starts.push_back(mojibake.size());
  const auto& back = Maps().vni_back;
  std::string out;
  for (size_t i = 0; i + 1 < starts.size();) {
    if (i + 2 < starts.size()) {
      const auto it = back.find(std::string(mojibake.substr(starts[i], starts[i + 2] - starts[i])));
      if (it != back.end()) {
        out += it->second;
        i += 2;
        continue;
      }
    }
    const std::string one(mojibake.substr(starts[i], starts[i + 1] - starts[i]));
    const auto it = back.find(one);
    out += it != back.end() ? it->second : one;
    ++i;
  }
  return out;
}

}  // namespace dqa::datagen
