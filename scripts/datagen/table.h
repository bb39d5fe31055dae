// Table: rows of one generated table held in memory, with the defect tag of each row.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace dqa::datagen {

// One stored value: NULL, INTEGER, REAL or TEXT (bound with exactly that storage class).
using Cell = std::variant<std::monostate, int64_t, double, std::string>;

inline const Cell kNull{};

struct Column {
  std::string name;
  std::string declared_type;  // "INTEGER PRIMARY KEY", "TEXT", "INTEGER"
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
  // Defect tag of each row (0 = clean); the meaning is private to the table's generator.
  std::vector<uint16_t> tags;

  size_t AddRow(std::vector<Cell> row, uint16_t tag = 0) {
    rows.push_back(std::move(row));
    tags.push_back(tag);
    return rows.size() - 1;
  }
};

inline bool IsNull(const Cell& c) { return std::holds_alternative<std::monostate>(c); }
inline const std::string& TextOf(const Cell& c) { return std::get<std::string>(c); }

}  // namespace dqa::datagen
