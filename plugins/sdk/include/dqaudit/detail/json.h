// Minimal JSON for plugins (header-only): a reader for the flat parameter objects the host passes
// to plugins, and the writer of the values the descriptor declares (defaults, constraints).
#pragma once

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "dqaudit/utf8.h"

namespace dqa::sdk::detail {

// One parameter value: a string, number, bool, null or a list of strings.
struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kStringList };
  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0;
  std::string text;  // kString; for kNumber the literal as written
  std::vector<std::string> list;
};

// Parses `{"key": value, ...}` where a value is a string, number, true/false/null or an array of
// strings/numbers (numbers kept as written). Returns false with `error` set on anything else.
class FlatJsonParser {
 public:
  explicit FlatJsonParser(std::string_view text) : s_(text) {}

  bool Parse(std::map<std::string, JsonValue>& out, std::string& error) {
    SkipSpace();
    if (!Eat('{')) return Fail("expected '{'", error);
    SkipSpace();
    if (Eat('}')) return End(error);
    while (true) {
      std::string key;
      SkipSpace();
      if (!ParseString(key)) return Fail("expected a string key", error);
      SkipSpace();
      if (!Eat(':')) return Fail("expected ':'", error);
      JsonValue value;
      if (!ParseValue(value)) return Fail("bad value for '" + key + "'", error);
      out[key] = std::move(value);
      SkipSpace();
      if (Eat(',')) continue;
      if (Eat('}')) return End(error);
      return Fail("expected ',' or '}'", error);
    }
  }

 private:
  bool End(std::string& error) {
    SkipSpace();
    return pos_ == s_.size() ? true : Fail("trailing characters", error);
  }
  bool Fail(const std::string& what, std::string& error) const {
    error = "parameters JSON: " + what + " at offset " + std::to_string(pos_);
    return false;
  }
  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' ||
                                s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool EatWord(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    return true;
  }
  bool ParseHex4(uint32_t& cp) {
    if (pos_ + 4 > s_.size()) return false;
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      cp <<= 4;
      if (c >= '0' && c <= '9') cp |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') cp |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') cp |= static_cast<uint32_t>(c - 'A' + 10);
      else return false;
    }
    return true;
  }
  bool ParseString(std::string& out) {
    if (!Eat('"')) return false;
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == '"') return true;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) return false;
      char e = s_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!ParseHex4(cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && EatWord("\\u")) {
            uint32_t lo = 0;
            if (!ParseHex4(lo)) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          AppendUtf8(out, static_cast<char32_t>(cp));
          break;
        }
        default: return false;
      }
    }
    return false;
  }
  bool ParseNumber(std::string& out) {
    size_t start = pos_;
    while (pos_ < s_.size() && (std::string_view("+-0123456789.eE").find(s_[pos_]) !=
                                std::string_view::npos)) {
      ++pos_;
    }
    out.assign(s_.substr(start, pos_ - start));
    return !out.empty();
  }
  bool ParseValue(JsonValue& v) {
    SkipSpace();
    if (pos_ >= s_.size()) return false;
    char c = s_[pos_];
    if (c == '"') {
      v.kind = JsonValue::Kind::kString;
      return ParseString(v.text);
    }
    if (EatWord("true")) { v.kind = JsonValue::Kind::kBool; v.boolean = true; return true; }
    if (EatWord("false")) { v.kind = JsonValue::Kind::kBool; v.boolean = false; return true; }
    if (EatWord("null")) { v.kind = JsonValue::Kind::kNull; return true; }
    if (c == '[') {
      ++pos_;
      v.kind = JsonValue::Kind::kStringList;
      SkipSpace();
      if (Eat(']')) return true;
      while (true) {
        SkipSpace();
        std::string item;
        if (pos_ < s_.size() && s_[pos_] == '"') {
          if (!ParseString(item)) return false;
        } else if (!ParseNumber(item)) {
          return false;
        }
        v.list.push_back(std::move(item));
        SkipSpace();
        if (Eat(',')) continue;
        return Eat(']');
      }
    }
    if (!ParseNumber(v.text)) return false;
    char* end = nullptr;
    v.number = std::strtod(v.text.c_str(), &end);
    v.kind = JsonValue::Kind::kNumber;
    return end != nullptr && *end == '\0';
  }

  std::string_view s_;
  size_t pos_ = 0;
};

// `s` as a JSON string literal (quotes, backslashes and control characters escaped).
inline std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xF];
      out += kHex[c & 0xF];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// The shortest text that reads back as `v` (JSON has no NaN nor infinity: they become null).
inline std::string JsonNumber(double v) {
  if (v != v || v - v != 0) return "null";
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, r.ptr);
}

// A parameter value in JSON form: bool, number, string, or a list of strings.
template <class T>
std::string ToJson(const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v ? "true" : "false";
  } else if constexpr (std::is_arithmetic_v<T>) {
    return JsonNumber(static_cast<double>(v));
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return JsonQuote(v);
  } else {
    std::string out = "[";
    for (const auto& item : v) {
      if (out.size() > 1) out += ",";
      out += JsonQuote(item);
    }
    return out + "]";
  }
}

}  // namespace dqa::sdk::detail
