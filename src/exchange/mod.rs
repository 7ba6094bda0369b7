//! Records in spreadsheets: for each kind of record, the columns a file holds — their keys
//! (the API's field names, with `unit_code`, `position_code`, … in place of ids), their
//! Vietnamese headers, what each takes, and whether an import reads it. Exports write them,
//! import templates describe them, imports match headers against them: one list per kind.

pub mod export;
pub mod read;

use crate::domain::{
    Category, CivilServiceRank, CourseKind, Dimension, EnrollmentResult, EnrollmentStatus, EnumValue, Ethnicity,
    Fulfilment, Funding, Gender, NeedReason, OfficialStatus, QualificationSource, Religion, StudyMode,
    TrainingLocation, UnitKind,
};
use crate::files::{column, Column};

/// What a column holds.
#[derive(Debug, Clone, Copy)]
pub enum Value {
    /// Text.
    Text,
    /// A day.
    Day,
    /// A number.
    Number,
    /// A whole number (a count, a year, an id).
    Whole,
    /// A whole amount of đồng: a number cell, or text with thousands separators
    /// (`1.500.000`, `1,500,000` or `1 500 000`).
    Amount,
    /// Yes or no: `Có` / `Không`, `true` / `false`, `x` for yes, or a true/false cell.
    Flag,
    /// A number of this many digits, kept as text: a number cell gets back the leading zeros
    /// a spreadsheet dropped (`26080001234` is `026080001234`).
    Digits(usize),
    /// One of an enumeration's values (code or Vietnamese label).
    Choice(fn() -> Vec<EnumValue>),
    /// A level of one dimension (code or label).
    Level(Dimension),
    /// A level of the dimension another column of the row names.
    AnyLevel,
}

/// Whether an import reads a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Every row must fill it.
    Required,
    /// A row may leave it empty.
    Optional,
    /// Exports write it; an import accepts the column and ignores it (it is not set by a row).
    Written,
}

/// One column of a kind's files.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The key: the API's field name.
    pub key: &'static str,
    /// The Vietnamese header.
    pub label: &'static str,
    /// What it holds.
    pub value: Value,
    /// Whether an import reads it.
    pub import: Use,
    /// What it means, for the template's explanation sheet.
    pub help: &'static str,
}

const fn field(key: &'static str, label: &'static str, value: Value, import: Use, help: &'static str) -> Field {
    Field {
        key,
        label,
        value,
        import,
        help,
    }
}

impl Field {
    /// The column of a file.
    pub fn column(&self) -> Column {
        column(self.key, self.label)
    }
}

/// The columns of fields, for a table.
pub fn columns(fields: &[Field]) -> Vec<Column> {
    fields.iter().map(Field::column).collect()
}

use Use::{Optional, Required, Written};

/// Administrative units.
pub const UNITS: &[Field] = &[
    field(
        "code",
        "Mã đơn vị",
        Value::Text,
        Required,
        "Mã duy nhất của đơn vị, ví dụ VP-PY-PT.",
    ),
    field("name", "Tên đơn vị", Value::Text, Required, "Tên đầy đủ của đơn vị."),
    field(
        "kind",
        "Loại đơn vị",
        Value::Choice(UnitKind::values),
        Required,
        "Tỉnh, thành phố, phường, xã, cơ quan…",
    ),
    field(
        "parent_code",
        "Mã đơn vị cấp trên",
        Value::Text,
        Optional,
        "Mã của đơn vị cấp trên (đã có hoặc ở dòng phía trên); để trống với đơn vị gốc.",
    ),
    field(
        "established_on",
        "Ngày thành lập",
        Value::Day,
        Optional,
        "Ngày đơn vị được thành lập.",
    ),
    field(
        "dissolved_on",
        "Ngày giải thể",
        Value::Day,
        Optional,
        "Ngày đơn vị giải thể, sáp nhập (nếu có).",
    ),
    field(
        "id",
        "Mã hệ thống",
        Value::Number,
        Written,
        "Do hệ thống cấp; khi nhập được bỏ qua.",
    ),
];

/// Positions and their standards.
pub const POSITIONS: &[Field] = &[
    field(
        "code",
        "Mã chức danh",
        Value::Text,
        Required,
        "Mã duy nhất của chức danh, ví dụ P-CT-UBND.",
    ),
    field(
        "title",
        "Tên chức danh",
        Value::Text,
        Required,
        "Tên chức danh, vị trí việc làm.",
    ),
    field(
        "category",
        "Đối tượng",
        Value::Choice(Category::values),
        Required,
        "Cán bộ, công chức, viên chức…",
    ),
    field(
        "min_education",
        "Tiêu chuẩn trình độ chuyên môn",
        Value::Level(Dimension::Education),
        Optional,
        "Trình độ chuyên môn tối thiểu (để trống nếu không quy định).",
    ),
    field(
        "min_political_theory",
        "Tiêu chuẩn lý luận chính trị",
        Value::Level(Dimension::PoliticalTheory),
        Optional,
        "Trình độ lý luận chính trị tối thiểu.",
    ),
    field(
        "min_state_management",
        "Tiêu chuẩn quản lý nhà nước",
        Value::Level(Dimension::StateManagement),
        Optional,
        "Trình độ quản lý nhà nước tối thiểu.",
    ),
    field(
        "leadership",
        "Lãnh đạo, quản lý",
        Value::Flag,
        Optional,
        "Có nếu là chức vụ lãnh đạo, quản lý; để trống hoặc Không nếu không.",
    ),
    field(
        "id",
        "Mã hệ thống",
        Value::Number,
        Written,
        "Do hệ thống cấp; khi nhập được bỏ qua.",
    ),
];

/// Officials, their current post and their current levels.
pub const OFFICIALS: &[Field] = &[
    field(
        "code",
        "Mã cán bộ",
        Value::Text,
        Required,
        "Số hiệu cán bộ, duy nhất, ví dụ PT-001.",
    ),
    field(
        "full_name",
        "Họ và tên",
        Value::Text,
        Required,
        "Họ và tên đầy đủ, có dấu.",
    ),
    field(
        "gender",
        "Giới tính",
        Value::Choice(Gender::values),
        Required,
        "Nam hoặc Nữ.",
    ),
    field(
        "date_of_birth",
        "Ngày sinh",
        Value::Day,
        Optional,
        "Ngày sinh (ngày/tháng/năm).",
    ),
    field(
        "party_joined_on",
        "Ngày vào Đảng",
        Value::Day,
        Optional,
        "Ngày vào Đảng (nếu có).",
    ),
    field(
        "national_id",
        "Số định danh cá nhân",
        Value::Digits(12),
        Optional,
        "Số định danh cá nhân (số căn cước), 12 chữ số; không trùng với người khác.",
    ),
    field(
        "ethnicity",
        "Dân tộc",
        Value::Choice(Ethnicity::values),
        Optional,
        "Tên hoặc mã dân tộc theo danh mục của Tổng cục Thống kê (01 Kinh, 02 Tày…).",
    ),
    field(
        "religion",
        "Tôn giáo",
        Value::Choice(Religion::values),
        Optional,
        "Tên hoặc mã tôn giáo (00 Không); để trống khi chưa rõ.",
    ),
    field(
        "general_education",
        "Trình độ giáo dục phổ thông",
        Value::Text,
        Optional,
        "Lớp đã học xong trên số lớp của hệ: 12/12, 9/12, 10/10 (gõ dạng văn bản).",
    ),
    field(
        "unit_code",
        "Mã đơn vị công tác",
        Value::Text,
        Required,
        "Mã đơn vị nơi đang công tác.",
    ),
    field(
        "position_code",
        "Mã chức danh",
        Value::Text,
        Optional,
        "Mã chức danh đang giữ.",
    ),
    field(
        "category",
        "Đối tượng",
        Value::Choice(Category::values),
        Optional,
        "Để trống thì theo chức danh; bắt buộc khi không có chức danh.",
    ),
    field(
        "started_on",
        "Giữ chức danh từ ngày",
        Value::Day,
        Optional,
        "Ngày bắt đầu công tác ở đơn vị và chức danh này (mặc định: hôm nay).",
    ),
    field(
        "rank",
        "Ngạch",
        Value::Choice(CivilServiceRank::values),
        Optional,
        "Ngạch công chức hiện giữ (chuyên viên cao cấp, chuyên viên chính, chuyên viên, cán sự, nhân viên).",
    ),
    field(
        "rank_since",
        "Giữ ngạch từ ngày",
        Value::Day,
        Optional,
        "Ngày bắt đầu giữ ngạch; bắt buộc khi đổi ngạch (mặc định với người mới: ngày bắt đầu công tác).",
    ),
    field(
        "education",
        "Trình độ chuyên môn",
        Value::Level(Dimension::Education),
        Optional,
        "Trình độ cao nhất hiện có; được ghi nhận là một văn bằng (nguồn: nhập từ tệp).",
    ),
    field(
        "political_theory",
        "Lý luận chính trị",
        Value::Level(Dimension::PoliticalTheory),
        Optional,
        "Trình độ lý luận chính trị cao nhất hiện có.",
    ),
    field(
        "state_management",
        "Quản lý nhà nước",
        Value::Level(Dimension::StateManagement),
        Optional,
        "Trình độ quản lý nhà nước cao nhất hiện có.",
    ),
    field(
        "it",
        "Tin học",
        Value::Level(Dimension::It),
        Optional,
        "Trình độ tin học cao nhất hiện có.",
    ),
    field(
        "foreign_language",
        "Ngoại ngữ",
        Value::Level(Dimension::ForeignLanguage),
        Optional,
        "Trình độ ngoại ngữ cao nhất hiện có.",
    ),
    field(
        "status",
        "Tình trạng",
        Value::Choice(OfficialStatus::values),
        Written,
        "Đang công tác, nghỉ hưu…; khi nhập được bỏ qua.",
    ),
    field(
        "separated_on",
        "Ngày thôi công tác",
        Value::Day,
        Written,
        "Khi nhập được bỏ qua.",
    ),
    field(
        "id",
        "Mã hệ thống",
        Value::Number,
        Written,
        "Do hệ thống cấp; khi nhập được bỏ qua.",
    ),
];

/// Qualification records.
pub const QUALIFICATIONS: &[Field] = &[
    field(
        "official_code",
        "Mã cán bộ",
        Value::Text,
        Required,
        "Số hiệu của cán bộ có văn bằng.",
    ),
    field(
        "dimension",
        "Lĩnh vực",
        Value::Choice(Dimension::values),
        Required,
        "Chuyên môn, lý luận chính trị…",
    ),
    field(
        "level",
        "Trình độ",
        Value::AnyLevel,
        Required,
        "Trình độ thuộc lĩnh vực ở cột trước.",
    ),
    field(
        "awarded_on",
        "Ngày cấp",
        Value::Day,
        Required,
        "Ngày cấp văn bằng, chứng chỉ.",
    ),
    field("field", "Chuyên ngành", Value::Text, Optional, "Chuyên ngành đào tạo."),
    field("institution", "Cơ sở đào tạo", Value::Text, Optional, "Nơi cấp."),
    field(
        "certificate_no",
        "Số văn bằng",
        Value::Text,
        Optional,
        "Số hiệu văn bằng, chứng chỉ.",
    ),
    field(
        "source",
        "Nguồn",
        Value::Choice(QualificationSource::values),
        Written,
        "Nhập trực tiếp, hoàn thành khóa học, nhập từ tệp; khi nhập được bỏ qua.",
    ),
    field(
        "id",
        "Mã hệ thống",
        Value::Number,
        Written,
        "Do hệ thống cấp; khi nhập được bỏ qua.",
    ),
];

/// Enrollments: who was sent to which class, and how it went.
pub const ENROLLMENTS: &[Field] = &[
    field(
        "official_code",
        "Mã cán bộ",
        Value::Text,
        Required,
        "Số hiệu của cán bộ được cử đi học.",
    ),
    field("class_code", "Mã lớp", Value::Text, Required, "Mã lớp học."),
    field(
        "status",
        "Trạng thái",
        Value::Choice(EnrollmentStatus::values),
        Optional,
        "Được cử đi học (mặc định), đang học, hoàn thành, không đạt, rút khỏi lớp.",
    ),
    field(
        "result",
        "Kết quả",
        Value::Choice(EnrollmentResult::values),
        Optional,
        "Xếp loại khi hoàn thành.",
    ),
    field("score", "Điểm", Value::Number, Optional, "Điểm tổng kết (0–10)."),
    field(
        "certificate_no",
        "Số chứng chỉ",
        Value::Text,
        Optional,
        "Số chứng chỉ được cấp.",
    ),
    field(
        "completed_on",
        "Ngày hoàn thành",
        Value::Day,
        Optional,
        "Ngày hoàn thành khóa học.",
    ),
    field(
        "location",
        "Nơi học",
        Value::Choice(TrainingLocation::values),
        Optional,
        "Trong nước hoặc nước ngoài (mặc định: theo lớp).",
    ),
    field(
        "study_mode",
        "Hình thức học",
        Value::Choice(StudyMode::values),
        Optional,
        "Tập trung hoặc không tập trung (mặc định: theo lớp).",
    ),
    field(
        "funding",
        "Nguồn kinh phí",
        Value::Choice(Funding::values),
        Optional,
        "Ngân sách nhà nước, cơ quan, cá nhân tự túc hoặc tài trợ (mặc định: theo lớp).",
    ),
    field(
        "cost_vnd",
        "Kinh phí (đồng)",
        Value::Amount,
        Optional,
        "Kinh phí đào tạo của người học, bằng đồng (mặc định: mức của lớp cho mỗi học viên).",
    ),
    field(
        "sending_unit_code",
        "Mã đơn vị cử đi học",
        Value::Text,
        Written,
        "Đơn vị cử đi học, theo nơi công tác khi khai giảng; khi nhập được bỏ qua.",
    ),
    field(
        "id",
        "Mã hệ thống",
        Value::Number,
        Written,
        "Do hệ thống cấp; khi nhập được bỏ qua.",
    ),
];

/// Courses (exported, not imported).
pub const COURSES: &[Field] = &[
    field("code", "Mã chương trình", Value::Text, Written, ""),
    field("title", "Tên chương trình", Value::Text, Written, ""),
    field(
        "kind",
        "Loại khóa học",
        Value::Choice(crate::domain::CourseKind::values),
        Written,
        "",
    ),
    field(
        "track",
        "Hình thức",
        Value::Choice(crate::domain::Track::values),
        Written,
        "",
    ),
    field(
        "confers_dimension",
        "Lĩnh vực được cấp",
        Value::Choice(Dimension::values),
        Written,
        "",
    ),
    field("confers_level", "Trình độ được cấp", Value::AnyLevel, Written, ""),
    field("field", "Chuyên ngành", Value::Text, Written, ""),
    field("provider", "Cơ sở đào tạo", Value::Text, Written, ""),
    field("id", "Mã hệ thống", Value::Number, Written, ""),
];

/// Classes (exported, not imported).
pub const CLASSES: &[Field] = &[
    field("code", "Mã lớp", Value::Text, Written, ""),
    field("name", "Tên lớp", Value::Text, Written, ""),
    field("course_code", "Mã chương trình", Value::Text, Written, ""),
    field("organizer_unit_code", "Mã đơn vị tổ chức", Value::Text, Written, ""),
    field("provider", "Cơ sở đào tạo", Value::Text, Written, ""),
    field("starts_on", "Ngày khai giảng", Value::Day, Written, ""),
    field("ends_on", "Ngày bế giảng", Value::Day, Written, ""),
    field("capacity", "Số chỗ", Value::Number, Written, ""),
    field(
        "external_learners",
        "Học viên ngoài hệ thống",
        Value::Number,
        Written,
        "",
    ),
    field("learners", "Tổng số học viên", Value::Number, Written, ""),
    field(
        "status",
        "Trạng thái",
        Value::Choice(crate::domain::ClassStatus::values),
        Written,
        "",
    ),
    field(
        "location",
        "Nơi học",
        Value::Choice(TrainingLocation::values),
        Written,
        "",
    ),
    field(
        "study_mode",
        "Hình thức học",
        Value::Choice(StudyMode::values),
        Written,
        "",
    ),
    field("funding", "Nguồn kinh phí", Value::Choice(Funding::values), Written, ""),
    field("cost_vnd", "Kinh phí tổ chức lớp (đồng)", Value::Amount, Written, ""),
    field(
        "learner_cost_vnd",
        "Kinh phí mỗi học viên (đồng)",
        Value::Amount,
        Written,
        "",
    ),
    field("id", "Mã hệ thống", Value::Number, Written, ""),
];

/// The items of a unit's yearly training plan: what it plans to send people to.
pub const PLAN_ITEMS: &[Field] = &[
    field(
        "unit_code",
        "Mã đơn vị",
        Value::Text,
        Required,
        "Mã của đơn vị lập kế hoạch; kế hoạch của năm được tạo (dự thảo) nếu chưa có.",
    ),
    field("year", "Năm kế hoạch", Value::Whole, Required, "Năm của kế hoạch."),
    field(
        "course_code",
        "Mã chương trình",
        Value::Text,
        Optional,
        "Chương trình dự kiến cử đi học; loại và trình độ lấy theo chương trình.",
    ),
    field(
        "kind",
        "Loại chương trình",
        Value::Choice(CourseKind::values),
        Optional,
        "Khi không ghi mã chương trình: loại chương trình dự kiến.",
    ),
    field(
        "dimension",
        "Lĩnh vực trình độ",
        Value::Choice(Dimension::values),
        Optional,
        "Khi không ghi mã chương trình: lĩnh vực của trình độ cần đạt.",
    ),
    field(
        "level",
        "Trình độ",
        Value::AnyLevel,
        Optional,
        "Khi không ghi mã chương trình: trình độ cần đạt, thuộc lĩnh vực ở cột trước.",
    ),
    field(
        "seats",
        "Số lượt người",
        Value::Whole,
        Required,
        "Số lượt người dự kiến cử đi.",
    ),
    field("quarter", "Quý", Value::Whole, Optional, "Quý dự kiến thực hiện (1–4)."),
    field(
        "cost_vnd",
        "Kinh phí dự kiến (đồng)",
        Value::Amount,
        Optional,
        "Kinh phí dự kiến, bằng đồng (mặc định 0).",
    ),
    field("purpose", "Mục đích", Value::Text, Optional, "Mục đích của nội dung."),
    field(
        "id",
        "Mã hệ thống nội dung",
        Value::Whole,
        Optional,
        "Do hệ thống cấp: để trống với nội dung mới; với mode=upsert, dòng có mã cập nhật nội dung đó.",
    ),
];

/// The training needs registered in a unit's yearly plan: who needs which level, and why.
pub const PLAN_NEEDS: &[Field] = &[
    field(
        "unit_code",
        "Mã đơn vị lập kế hoạch",
        Value::Text,
        Required,
        "Mã của đơn vị lập kế hoạch; kế hoạch của năm được tạo (dự thảo) nếu chưa có.",
    ),
    field("year", "Năm kế hoạch", Value::Whole, Required, "Năm của kế hoạch."),
    field(
        "official_code",
        "Mã cán bộ",
        Value::Text,
        Required,
        "Số hiệu của cán bộ có nhu cầu, công tác tại đơn vị hoặc đơn vị cấp dưới.",
    ),
    field("full_name", "Họ và tên", Value::Text, Written, "Khi nhập được bỏ qua."),
    field(
        "official_unit",
        "Đơn vị công tác",
        Value::Text,
        Written,
        "Khi nhập được bỏ qua.",
    ),
    field(
        "item_id",
        "Mã hệ thống nội dung kế hoạch",
        Value::Whole,
        Optional,
        "Nội dung của kế hoạch mà cán bộ được đăng ký; lĩnh vực và trình độ lấy theo nội dung.",
    ),
    field(
        "dimension",
        "Lĩnh vực trình độ",
        Value::Choice(Dimension::values),
        Optional,
        "Khi không ghi nội dung: lĩnh vực của trình độ cần đào tạo.",
    ),
    field(
        "level",
        "Trình độ cần đào tạo",
        Value::AnyLevel,
        Optional,
        "Khi không ghi nội dung: trình độ cần đào tạo, thuộc lĩnh vực ở cột trước.",
    ),
    field(
        "reason",
        "Lý do",
        Value::Choice(NeedReason::values),
        Required,
        "Chuẩn hóa theo tiêu chuẩn chức danh, quy hoạch, yêu cầu công việc, khác.",
    ),
    field(
        "fulfilment",
        "Kết quả thực hiện",
        Value::Choice(Fulfilment::values),
        Written,
        "Tính từ việc cử đi học; khi nhập được bỏ qua.",
    ),
    field("note", "Ghi chú", Value::Text, Optional, "Ghi chú."),
    field(
        "id",
        "Mã hệ thống nhu cầu",
        Value::Whole,
        Written,
        "Do hệ thống cấp; khi nhập được bỏ qua (một cán bộ có một nhu cầu mỗi trình độ mỗi năm).",
    ),
];
