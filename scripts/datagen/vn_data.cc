#include "scripts/datagen/vn_data.h"

#include <map>
#include <utility>

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
  const char* code;
  const char* name;
};

struct UnitRow {
  const char* code;
  const char* name;  // full name with its prefix ("Phường 1", "Xã Tân Phú", "Thị trấn Cái Bè")
  const char* district_code;
};

// The real districts and communes of Tiền Giang (province 82) before the 2025 reorganisation,
// with their codes in the national list of administrative units, as the public dataset
// madnh/hanhchinhvn (dist/quan-huyen/82.json, dist/xa-phuong/815..825.json, updated 2023-04-08)
// spells them, "Hoà" and "Hòa" included. Communes moved between districts keep their first code,
// so a district's codes are not contiguous (Phước Thạnh 28567 belongs to Mỹ Tho).
const std::vector<District>& DemoDistricts() {
  static const std::vector<District> kDistricts = {
      {"815", "Thành phố Mỹ Tho"},
      {"816", "Thị xã Gò Công"},
      {"817", "Thị xã Cai Lậy"},
      {"818", "Huyện Tân Phước"},
      {"819", "Huyện Cái Bè"},
      {"820", "Huyện Cai Lậy"},
      {"821", "Huyện Châu Thành"},
      {"822", "Huyện Chợ Gạo"},
      {"823", "Huyện Gò Công Tây"},
      {"824", "Huyện Gò Công Đông"},
      {"825", "Huyện Tân Phú Đông"},
  };
  return kDistricts;
}

// The communes in code order, each with its district's code.
const std::vector<UnitRow>& CommuneRows() {
  static const std::vector<UnitRow> kRows = {
      {"28249", "Phường 5", "815"},
      {"28252", "Phường 4", "815"},
      {"28255", "Phường 7", "815"},
      {"28258", "Phường 3", "815"},
      {"28261", "Phường 1", "815"},
      {"28264", "Phường 2", "815"},
      {"28267", "Phường 8", "815"},
      {"28270", "Phường 6", "815"},
      {"28273", "Phường 9", "815"},
      {"28276", "Phường 10", "815"},
      {"28279", "Phường Tân Long", "815"},
      {"28282", "Xã Đạo Thạnh", "815"},
      {"28285", "Xã Trung An", "815"},
      {"28288", "Xã Mỹ Phong", "815"},
      {"28291", "Xã Tân Mỹ Chánh", "815"},
      {"28294", "Phường 3", "816"},
      {"28297", "Phường 2", "816"},
      {"28300", "Phường 4", "816"},
      {"28303", "Phường 1", "816"},
      {"28306", "Phường 5", "816"},
      {"28309", "Xã Long Hưng", "816"},
      {"28312", "Xã Long Thuận", "816"},
      {"28315", "Xã Long Chánh", "816"},
      {"28318", "Xã Long Hòa", "816"},
      {"28321", "Thị trấn Mỹ Phước", "818"},
      {"28324", "Xã Tân Hòa Đông", "818"},
      {"28327", "Xã Thạnh Tân", "818"},
      {"28330", "Xã Thạnh Mỹ", "818"},
      {"28333", "Xã Thạnh Hoà", "818"},
      {"28336", "Xã Phú Mỹ", "818"},
      {"28339", "Xã Tân Hòa Thành", "818"},
      {"28342", "Xã Hưng Thạnh", "818"},
      {"28345", "Xã Tân Lập 1", "818"},
      {"28348", "Xã Tân Hòa Tây", "818"},
      {"28354", "Xã Tân Lập 2", "818"},
      {"28357", "Xã Phước Lập", "818"},
      {"28360", "Thị trấn Cái Bè", "819"},
      {"28363", "Xã Hậu Mỹ Bắc B", "819"},
      {"28366", "Xã Hậu Mỹ Bắc A", "819"},
      {"28369", "Xã Mỹ Trung", "819"},
      {"28372", "Xã Hậu Mỹ Trinh", "819"},
      {"28375", "Xã Hậu Mỹ Phú", "819"},
      {"28378", "Xã Mỹ Tân", "819"},
      {"28381", "Xã Mỹ Lợi B", "819"},
      {"28384", "Xã Thiện Trung", "819"},
      {"28387", "Xã Mỹ Hội", "819"},
      {"28390", "Xã An Cư", "819"},
      {"28393", "Xã Hậu Thành", "819"},
      {"28396", "Xã Mỹ Lợi A", "819"},
      {"28399", "Xã Hòa Khánh", "819"},
      {"28402", "Xã Thiện Trí", "819"},
      {"28405", "Xã Mỹ Đức Đông", "819"},
      {"28408", "Xã Mỹ Đức Tây", "819"},
      {"28411", "Xã Đông Hòa Hiệp", "819"},
      {"28414", "Xã An Thái Đông", "819"},
      {"28417", "Xã Tân Hưng", "819"},
      {"28420", "Xã Mỹ Lương", "819"},
      {"28423", "Xã Tân Thanh", "819"},
      {"28426", "Xã An Thái Trung", "819"},
      {"28429", "Xã An Hữu", "819"},
      {"28432", "Xã Hòa Hưng", "819"},
      {"28435", "Phường 1", "817"},
      {"28436", "Phường 2", "817"},
      {"28437", "Phường 3", "817"},
      {"28438", "Xã Thạnh Lộc", "820"},
      {"28439", "Phường 4", "817"},
      {"28440", "Phường 5", "817"},
      {"28441", "Xã Mỹ Thành Bắc", "820"},
      {"28444", "Xã Phú Cường", "820"},
      {"28447", "Xã Mỹ Phước Tây", "817"},
      {"28450", "Xã Mỹ Hạnh Đông", "817"},
      {"28453", "Xã Mỹ Hạnh Trung", "817"},
      {"28456", "Xã Mỹ Thành Nam", "820"},
      {"28459", "Xã Tân Phú", "817"},
      {"28462", "Xã Tân Bình", "817"},
      {"28465", "Xã Phú Nhuận", "820"},
      {"28468", "Xã Tân Hội", "817"},
      {"28471", "Thị trấn Bình Phú", "820"},
      {"28474", "Phường Nhị Mỹ", "817"},
      {"28477", "Xã Nhị Quý", "817"},
      {"28480", "Xã Thanh Hòa", "817"},
      {"28483", "Xã Phú Quý", "817"},
      {"28486", "Xã Long Khánh", "817"},
      {"28489", "Xã Cẩm Sơn", "820"},
      {"28492", "Xã Phú An", "820"},
      {"28495", "Xã Mỹ Long", "820"},
      {"28498", "Xã Long Tiên", "820"},
      {"28501", "Xã Hiệp Đức", "820"},
      {"28504", "Xã Long Trung", "820"},
      {"28507", "Xã Hội Xuân", "820"},
      {"28510", "Xã Tân Phong", "820"},
      {"28513", "Xã Tam Bình", "820"},
      {"28516", "Xã Ngũ Hiệp", "820"},
      {"28519", "Thị trấn Tân Hiệp", "821"},
      {"28522", "Xã Tân Hội Đông", "821"},
      {"28525", "Xã Tân Hương", "821"},
      {"28528", "Xã Tân Lý Đông", "821"},
      {"28531", "Xã Tân Lý Tây", "821"},
      {"28534", "Xã Thân Cửu Nghĩa", "821"},
      {"28537", "Xã Tam Hiệp", "821"},
      {"28540", "Xã Điềm Hy", "821"},
      {"28543", "Xã Nhị Bình", "821"},
      {"28546", "Xã Dưỡng Điềm", "821"},
      {"28549", "Xã Đông Hòa", "821"},
      {"28552", "Xã Long Định", "821"},
      {"28555", "Xã Hữu Đạo", "821"},
      {"28558", "Xã Long An", "821"},
      {"28561", "Xã Long Hưng", "821"},
      {"28564", "Xã Bình Trưng", "821"},
      {"28567", "Xã Phước Thạnh", "815"},
      {"28570", "Xã Thạnh Phú", "821"},
      {"28573", "Xã Bàn Long", "821"},
      {"28576", "Xã Vĩnh Kim", "821"},
      {"28579", "Xã Bình Đức", "821"},
      {"28582", "Xã Song Thuận", "821"},
      {"28585", "Xã Kim Sơn", "821"},
      {"28588", "Xã Phú Phong", "821"},
      {"28591", "Xã Thới Sơn", "815"},
      {"28594", "Thị trấn Chợ Gạo", "822"},
      {"28597", "Xã Trung Hòa", "822"},
      {"28600", "Xã Hòa Tịnh", "822"},
      {"28603", "Xã Mỹ Tịnh An", "822"},
      {"28606", "Xã Tân Bình Thạnh", "822"},
      {"28609", "Xã Phú Kiết", "822"},
      {"28612", "Xã Lương Hòa Lạc", "822"},
      {"28615", "Xã Thanh Bình", "822"},
      {"28618", "Xã Quơn Long", "822"},
      {"28621", "Xã Bình Phục Nhứt", "822"},
      {"28624", "Xã Đăng Hưng Phước", "822"},
      {"28627", "Xã Tân Thuận Bình", "822"},
      {"28630", "Xã Song Bình", "822"},
      {"28633", "Xã Bình Phan", "822"},
      {"28636", "Xã Long Bình Điền", "822"},
      {"28639", "Xã An Thạnh Thủy", "822"},
      {"28642", "Xã Xuân Đông", "822"},
      {"28645", "Xã Hòa Định", "822"},
      {"28648", "Xã Bình Ninh", "822"},
      {"28651", "Thị trấn Vĩnh Bình", "823"},
      {"28654", "Xã Đồng Sơn", "823"},
      {"28657", "Xã Bình Phú", "823"},
      {"28660", "Xã Đồng Thạnh", "823"},
      {"28663", "Xã Thành Công", "823"},
      {"28666", "Xã Bình Nhì", "823"},
      {"28669", "Xã Yên Luông", "823"},
      {"28672", "Xã Thạnh Trị", "823"},
      {"28675", "Xã Thạnh Nhựt", "823"},
      {"28678", "Xã Long Vĩnh", "823"},
      {"28681", "Xã Bình Tân", "823"},
      {"28684", "Xã Vĩnh Hựu", "823"},
      {"28687", "Xã Long Bình", "823"},
      {"28690", "Xã Tân Thới", "825"},
      {"28693", "Xã Tân Phú", "825"},
      {"28696", "Xã Phú Thạnh", "825"},
      {"28699", "Xã Tân Thạnh", "825"},
      {"28702", "Thị trấn Tân Hòa", "824"},
      {"28705", "Xã Tăng Hoà", "824"},
      {"28708", "Xã Bình Đông", "816"},
      {"28711", "Xã Tân Phước", "824"},
      {"28714", "Xã Gia Thuận", "824"},
      {"28717", "Xã Bình Xuân", "816"},
      {"28720", "Thị trấn Vàm Láng", "824"},
      {"28723", "Xã Tân Tây", "824"},
      {"28726", "Xã Kiểng Phước", "824"},
      {"28729", "Xã Tân Trung", "816"},
      {"28732", "Xã Tân Đông", "824"},
      {"28735", "Xã Bình Ân", "824"},
      {"28738", "Xã Tân Điền", "824"},
      {"28741", "Xã Bình Nghị", "824"},
      {"28744", "Xã Phước Trung", "824"},
      {"28747", "Xã Tân Thành", "824"},
      {"28750", "Xã Phú Đông", "825"},
      {"28753", "Xã Phú Tân", "825"},
  };
  return kRows;
}

}  // namespace

const std::vector<Commune>& DemoCommunes() {
  static const std::vector<Commune> kCommunes = [] {
    std::map<std::string, std::string> district_name;
    for (const District& d : DemoDistricts()) district_name[d.code] = d.name;
    std::vector<Commune> out;
    out.reserve(CommuneRows().size());
    for (const UnitRow& row : CommuneRows()) {
      // at() throws on a commune whose district is not listed: a broken table fails at once.
      out.push_back(Commune{row.code, row.name, row.district_code, district_name.at(row.district_code)});
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
