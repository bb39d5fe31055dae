#include "scripts/datagen/vn_data.h"

#include <utility>

#include <fmt/format.h>

namespace dqa::datagen {

const std::vector<Province>& Provinces() {
  static const std::vector<Province> kProvinces = {
      {"001", "Hà Nội"},         {"002", "Hà Giang"},       {"004", "Cao Bằng"},
      {"006", "Bắc Kạn"},        {"008", "Tuyên Quang"},    {"010", "Lào Cai"},
      {"011", "Điện Biên"},      {"012", "Lai Châu"},       {"014", "Sơn La"},
      {"015", "Yên Bái"},        {"017", "Hòa Bình"},       {"019", "Thái Nguyên"},
      {"020", "Lạng Sơn"},       {"022", "Quảng Ninh"},     {"024", "Bắc Giang"},
      {"025", "Phú Thọ"},        {"026", "Vĩnh Phúc"},      {"027", "Bắc Ninh"},
      {"030", "Hải Dương"},      {"031", "Hải Phòng"},      {"033", "Hưng Yên"},
      {"034", "Thái Bình"},      {"035", "Hà Nam"},         {"036", "Nam Định"},
      {"037", "Ninh Bình"},      {"038", "Thanh Hóa"},      {"040", "Nghệ An"},
      {"042", "Hà Tĩnh"},        {"044", "Quảng Bình"},     {"045", "Quảng Trị"},
      {"046", "Thừa Thiên Huế"}, {"048", "Đà Nẵng"},        {"049", "Quảng Nam"},
      {"051", "Quảng Ngãi"},     {"052", "Bình Định"},      {"054", "Phú Yên"},
      {"056", "Khánh Hòa"},      {"058", "Ninh Thuận"},     {"060", "Bình Thuận"},
      {"062", "Kon Tum"},        {"064", "Gia Lai"},        {"066", "Đắk Lắk"},
      {"067", "Đắk Nông"},       {"068", "Lâm Đồng"},       {"070", "Bình Phước"},
      {"072", "Tây Ninh"},       {"074", "Bình Dương"},     {"075", "Đồng Nai"},
      {"077", "Bà Rịa - Vũng Tàu"}, {"079", "Hồ Chí Minh"}, {"080", "Long An"},
      {"082", "Tiền Giang"},     {"083", "Bến Tre"},        {"084", "Trà Vinh"},
      {"086", "Vĩnh Long"},      {"087", "Đồng Tháp"},      {"089", "An Giang"},
      {"091", "Kiên Giang"},     {"092", "Cần Thơ"},        {"093", "Hậu Giang"},
      {"094", "Sóc Trăng"},      {"095", "Bạc Liêu"},       {"096", "Cà Mau"},
  };
  return kProvinces;
}

namespace {

struct District {
  const char* name;
  std::vector<const char*> communes;  // full names with their prefix
};

// Administrative units in the style of the province before the 2025 reorganisation.
const std::vector<District>& DemoDistricts() {
  static const std::vector<District> kDistricts = {
      {"Thành phố Mỹ Tho",
       {"Phường 1", "Phường 2", "Phường 3", "Phường 4", "Phường 5", "Phường 6", "Phường 9",
        "Phường 10", "Phường Tân Long", "Xã Đạo Thạnh", "Xã Mỹ Phong", "Xã Tân Mỹ Chánh",
        "Xã Phước Thạnh", "Xã Trung An", "Xã Thới Sơn"}},
      {"Thị xã Gò Công",
       {"Phường 1", "Phường 2", "Phường 3", "Phường 4", "Phường 5", "Xã Long Hưng",
        "Xã Long Thuận", "Xã Long Chánh", "Xã Long Hòa", "Xã Bình Xuân", "Xã Bình Đông",
        "Xã Tân Trung"}},
      {"Thị xã Cai Lậy",
       {"Phường 1", "Phường 2", "Phường 3", "Phường 4", "Phường 5", "Phường Nhị Mỹ",
        "Xã Mỹ Hạnh Đông", "Xã Mỹ Hạnh Trung", "Xã Tân Bình", "Xã Tân Phú", "Xã Tân Hội",
        "Xã Thanh Hòa", "Xã Long Khánh", "Xã Mỹ Phước Tây", "Xã Nhị Quý", "Xã Phú Quý"}},
      {"Huyện Cái Bè",
       {"Thị trấn Cái Bè", "Xã Hậu Mỹ Bắc A", "Xã Hậu Mỹ Bắc B", "Xã Hậu Mỹ Trinh",
        "Xã Hậu Thành", "Xã Mỹ Trung", "Xã Thiện Trung", "Xã Mỹ Lợi A", "Xã Mỹ Lợi B",
        "Xã An Hữu", "Xã Hòa Khánh", "Xã Đông Hòa Hiệp", "Xã An Thái Trung", "Xã Tân Hưng",
        "Xã Hòa Hưng", "Xã Mỹ Lương"}},
      {"Huyện Cai Lậy",
       {"Xã Bình Phú", "Xã Cẩm Sơn", "Xã Hiệp Đức", "Xã Hội Xuân", "Xã Long Tiên",
        "Xã Long Trung", "Xã Mỹ Long", "Xã Mỹ Thành Bắc", "Xã Mỹ Thành Nam", "Xã Ngũ Hiệp",
        "Xã Phú An", "Xã Phú Cường", "Xã Tam Bình", "Xã Thạnh Lộc"}},
      {"Huyện Tân Phước",
       {"Thị trấn Mỹ Phước", "Xã Hưng Thạnh", "Xã Phú Mỹ", "Xã Phước Lập", "Xã Tân Hòa Đông",
        "Xã Tân Hòa Tây", "Xã Tân Lập 1", "Xã Tân Lập 2", "Xã Thạnh Mỹ", "Xã Thạnh Tân"}},
      {"Huyện Châu Thành",
       {"Thị trấn Tân Hiệp", "Xã Bình Đức", "Xã Bình Trưng", "Xã Điềm Hy", "Xã Đông Hòa",
        "Xã Dưỡng Điềm", "Xã Hữu Đạo", "Xã Kim Sơn", "Xã Long An", "Xã Long Định",
        "Xã Nhị Bình", "Xã Phú Phong", "Xã Song Thuận", "Xã Tam Hiệp", "Xã Tân Hương",
        "Xã Vĩnh Kim"}},
      {"Huyện Chợ Gạo",
       {"Thị trấn Chợ Gạo", "Xã An Thạnh Thủy", "Xã Bình Ninh", "Xã Bình Phan",
        "Xã Đăng Hưng Phước", "Xã Hòa Định", "Xã Hòa Tịnh", "Xã Long Bình Điền",
        "Xã Lương Hòa Lạc", "Xã Mỹ Tịnh An", "Xã Quơn Long", "Xã Song Bình", "Xã Xuân Đông"}},
      {"Huyện Gò Công Tây",
       {"Thị trấn Vĩnh Bình", "Xã Bình Nhì", "Xã Bình Tân", "Xã Đồng Sơn", "Xã Long Bình",
        "Xã Long Vĩnh", "Xã Thạnh Nhựt", "Xã Thạnh Trị", "Xã Vĩnh Hựu", "Xã Yên Luông"}},
      {"Huyện Gò Công Đông",
       {"Thị trấn Tân Hòa", "Thị trấn Vàm Láng", "Xã Bình Ân", "Xã Bình Nghị", "Xã Gia Thuận",
        "Xã Kiểng Phước", "Xã Phước Trung", "Xã Tân Điền", "Xã Tân Tây", "Xã Tăng Hòa"}},
      {"Huyện Tân Phú Đông",
       {"Xã Phú Đông", "Xã Phú Tân", "Xã Phú Thạnh", "Xã Tân Phú", "Xã Tân Thạnh",
        "Xã Tân Thới"}},
  };
  return kDistricts;
}

}  // namespace

const std::vector<Commune>& DemoCommunes() {
  static const std::vector<Commune> kCommunes = [] {
    std::vector<Commune> out;
    int code = 28249;
    int district_code = 815;
    for (const auto& d : DemoDistricts()) {
      for (const char* name : d.communes) {
        out.push_back(Commune{fmt::format("{:05d}", code), name,
                              fmt::format("{:03d}", district_code), d.name});
        code += 3;
      }
      code += 6;  // codes of abolished units leave gaps, as in the national list
      ++district_code;
    }
    return out;
  }();
  return kCommunes;
}

namespace {

struct WeightedNames {
  std::vector<std::string> names;
  std::vector<int64_t> weights;
};

WeightedNames MakeWeighted(std::vector<std::pair<const char*, int64_t>> items) {
  WeightedNames out;
  for (auto& [name, weight] : items) {
    out.names.emplace_back(name);
    out.weights.push_back(weight);
  }
  return out;
}

// Per-mille frequencies of the commonest surnames (Nguyễn ~38%, Trần ~11%, Lê ~9.5% ...).
const WeightedNames& Surnames() {
  static const WeightedNames kNames = MakeWeighted({
      {"Nguyễn", 380}, {"Trần", 110}, {"Lê", 95},   {"Phạm", 70},  {"Hoàng", 28},
      {"Huỳnh", 22},   {"Phan", 45},  {"Vũ", 20},   {"Võ", 19},    {"Đặng", 21},
      {"Bùi", 20},     {"Đỗ", 14},    {"Hồ", 13},   {"Ngô", 13},   {"Dương", 10},
      {"Lý", 5},       {"Đinh", 12},  {"Trương", 14}, {"Mai", 8},  {"Đào", 9},
      {"Lâm", 9},      {"Cao", 7},    {"Tạ", 5},    {"Châu", 6},   {"Thái", 5},
      {"Lương", 8},    {"Hà", 9},     {"Tô", 5},    {"Tăng", 3},   {"Lưu", 7},
      {"Kiều", 3},     {"Quách", 5},
  });
  return kNames;
}

const WeightedNames& MaleMiddle() {
  static const WeightedNames kNames = MakeWeighted({
      {"Văn", 300}, {"Hữu", 60}, {"Đức", 60}, {"Minh", 80}, {"Quốc", 50}, {"Thanh", 50},
      {"Công", 40}, {"Ngọc", 30}, {"Hoàng", 40}, {"Xuân", 30}, {"Tấn", 40}, {"Trung", 30},
      {"Anh", 30},  {"Gia", 30},  {"Thành", 30}, {"Phước", 20},
  });
  return kNames;
}

const WeightedNames& FemaleMiddle() {
  static const WeightedNames kNames = MakeWeighted({
      {"Thị", 420}, {"Ngọc", 80}, {"Thu", 50}, {"Thanh", 50}, {"Kim", 50}, {"Mỹ", 50},
      {"Phương", 30}, {"Hồng", 40}, {"Bích", 30}, {"Thùy", 30}, {"Ánh", 20}, {"Bảo", 20},
      {"Diệu", 20}, {"Khánh", 20},
  });
  return kNames;
}

const std::vector<std::string>& MaleGiven() {
  static const std::vector<std::string> kNames = {
      "An",   "Bình",  "Cường", "Dũng",  "Đạt",  "Hải",   "Hùng",  "Huy",   "Khang", "Khoa",
      "Kiên", "Long",  "Minh",  "Nam",   "Nghĩa", "Phát", "Phong", "Phúc",  "Quang", "Sơn",
      "Tài",  "Thành", "Thắng", "Thịnh", "Toàn", "Trí",   "Trung", "Tuấn",  "Việt",  "Vinh",
      "Bảo",  "Hiếu",  "Lộc",   "Tâm",   "Tùng", "Duy",   "Hậu",   "Nhân",  "Quân",  "Thiện",
  };
  return kNames;
}

const std::vector<std::string>& FemaleGiven() {
  static const std::vector<std::string> kNames = {
      "Anh",  "Bích", "Chi",   "Dung",  "Duyên", "Giang", "Hà",    "Hạnh",  "Hằng", "Hiền",
      "Hoa",  "Hương", "Huyền", "Lan",  "Liên",  "Linh",  "Loan",  "Mai",   "My",   "Nga",
      "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Tâm",  "Thảo",  "Thủy",  "Trang", "Trinh",
      "Uyên", "Vân",  "Vy",    "Yến",   "Ngọc",  "Như",   "Diễm",  "Xuân",  "Nhi",  "Thư",
  };
  return kNames;
}

}  // namespace

std::string RandomSurname(Rng& rng) {
  const auto& s = Surnames();
  return s.names[rng.Weighted(s.weights)];
}

std::string RandomMiddleAndGiven(Rng& rng, Gender gender) {
  const auto& middle = gender == Gender::kMale ? MaleMiddle() : FemaleMiddle();
  const auto& given = gender == Gender::kMale ? MaleGiven() : FemaleGiven();
  std::string out = middle.names[rng.Weighted(middle.weights)];
  out += ' ';
  out += rng.Pick(given);
  return out;
}

std::string RandomFullName(Rng& rng, Gender gender) {
  std::string out = RandomSurname(rng);
  out += ' ';
  out += RandomMiddleAndGiven(rng, gender);
  return out;
}

}  // namespace dqa::datagen
