//! Every enumeration of the API: English snake_case codes, Vietnamese labels.
//! They are stored as their codes in text columns on both backends.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use serde::Serialize;
use utoipa::ToSchema;

/// Declares a code enumeration: serde and OpenAPI by code, Vietnamese labels,
/// text storage, and the ordered list of its values.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $(#[doc = $label] #[serde(rename = $code)] $variant,)+
        }

        impl $name {
            /// Every value, in the order of the specification (levels lowest first).
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The API code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The Vietnamese label.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// The value with this code, if any.
            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The values as `{code, label}` for `GET /enums`.
            pub fn values() -> Vec<EnumValue> {
                Self::ALL.iter().map(|v| EnumValue { code: v.code(), label: v.label(), rank: None }).collect()
            }
        }

        // Written by hand: the derive does not see serde renames made inside a macro.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code,)+]))
                    .description(Some(concat!($("`", $code, "`: ", $label, ". ",)+)))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        coded_text!($name);
    };
}

/// The impls every coded value shares, from its `code`, `label` and `parse`: a cell's code
/// and label, `Display` as the code, and text storage as the code.
macro_rules! coded_text {
    ($name:ident) => {
        impl crate::files::Labelled for $name {
            fn code(self) -> &'static str {
                $name::code(self)
            }

            fn label(self) -> &'static str {
                $name::label(self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl<DB> FromSql<Text, DB> for $name
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let code = String::from_sql(bytes)?;
                Self::parse(&code).ok_or_else(|| format!("unknown {} code {code:?}", stringify!($name)).into())
            }
        }

        impl<DB> ToSql<Text, DB> for $name
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.code().to_sql(out)
            }
        }
    };
}
pub(crate) use coded_text;

/// Adds the rank that orders a dimension's levels (equal ranks count as equal).
macro_rules! level_ranks {
    ($name:ident { $($variant:ident = $rank:literal,)+ }) => {
        impl $name {
            /// The level's rank: higher is more qualified.
            pub fn rank(self) -> u8 {
                match self { $($name::$variant => $rank,)+ }
            }

            /// The levels with their ranks, lowest first.
            pub fn ranked_values() -> Vec<EnumValue> {
                Self::ALL.iter().map(|v| EnumValue { code: v.code(), label: v.label(), rank: Some(v.rank()) }).collect()
            }
        }
    };
}

/// One value of an enumeration, as `GET /enums` lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnumValue {
    /// The code used in the API.
    pub code: &'static str,
    /// The Vietnamese label.
    pub label: &'static str,
    /// For qualification levels: the rank that orders them (equal ranks are equivalent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<u8>,
}

code_enum! {
    /// The kind of an administrative unit; its level follows from it.
    UnitKind {
        Country = "country", "Cả nước (gốc của cây đơn vị)";
        Province = "province", "Tỉnh, thành phố trực thuộc Trung ương";
        City = "city", "Thành phố thuộc tỉnh";
        Town = "town", "Thị xã";
        District = "district", "Quận, huyện";
        Ward = "ward", "Phường";
        Commune = "commune", "Xã";
        Township = "township", "Thị trấn";
        Agency = "agency", "Cơ quan, đơn vị";
    }
}

code_enum! {
    /// The level of government a unit belongs to (cấp), as the year's training results split
    /// those sent: the province (with the country above it), the district level (cities and
    /// towns of a province), the commune level (wards, communes, townships). An agency is of the
    /// level of the unit it belongs to.
    Tier {
        Province = "province", "Cấp tỉnh";
        District = "district", "Cấp huyện";
        Commune = "commune", "Cấp xã";
    }
}

impl UnitKind {
    /// The level of government of a unit of this kind; none for an agency, which is of the
    /// level of the unit it belongs to.
    pub fn tier(self) -> Option<Tier> {
        match self {
            UnitKind::Country | UnitKind::Province => Some(Tier::Province),
            UnitKind::City | UnitKind::Town | UnitKind::District => Some(Tier::District),
            UnitKind::Ward | UnitKind::Commune | UnitKind::Township => Some(Tier::Commune),
            UnitKind::Agency => None,
        }
    }
}

code_enum! {
    /// The category of the people who hold a position.
    Category {
        Cadre = "cadre", "Cán bộ";
        CivilServant = "civil_servant", "Công chức";
        PublicEmployee = "public_employee", "Viên chức";
        PartTime = "part_time", "Người hoạt động không chuyên trách";
    }
}

code_enum! {
    /// An official's gender.
    Gender {
        Male = "male", "Nam";
        Female = "female", "Nữ";
    }
}

code_enum! {
    /// A civil-service rank (ngạch), highest first; its official number is [`CivilServiceRank::number`].
    CivilServiceRank {
        SeniorSpecialist = "senior_specialist", "Chuyên viên cao cấp";
        PrincipalSpecialist = "principal_specialist", "Chuyên viên chính";
        Specialist = "specialist", "Chuyên viên";
        Clerk = "clerk", "Cán sự";
        Staff = "staff", "Nhân viên";
    }
}

impl CivilServiceRank {
    /// The rank's number in the list of civil-service ranks (mã ngạch), e.g. `01.003`.
    pub fn number(self) -> &'static str {
        match self {
            CivilServiceRank::SeniorSpecialist => "01.001",
            CivilServiceRank::PrincipalSpecialist => "01.002",
            CivilServiceRank::Specialist => "01.003",
            CivilServiceRank::Clerk => "01.004",
            CivilServiceRank::Staff => "01.005",
        }
    }
}

code_enum! {
    /// Whether an official is still serving, and if not why.
    OfficialStatus {
        Active = "active", "Đang công tác";
        Retired = "retired", "Nghỉ hưu";
        TransferredOut = "transferred_out", "Chuyển công tác ra ngoài";
        Deceased = "deceased", "Từ trần";
        Dismissed = "dismissed", "Thôi việc";
    }
}

code_enum! {
    /// Why an assignment ended.
    EndReason {
        Transfer = "transfer", "Điều động, luân chuyển";
        Retired = "retired", "Nghỉ hưu";
        TransferredOut = "transferred_out", "Chuyển công tác ra ngoài";
        Deceased = "deceased", "Từ trần";
        Dismissed = "dismissed", "Thôi việc";
    }
}

code_enum! {
    /// A user's role.
    Role {
        Admin = "admin", "Quản trị hệ thống";
        Hr = "hr", "Cán bộ tổ chức, nhân sự";
        Auditor = "auditor", "Thanh tra, kiểm tra";
    }
}

code_enum! {
    /// Where a qualification record came from.
    QualificationSource {
        Manual = "manual", "Nhập trực tiếp";
        Enrollment = "enrollment", "Hoàn thành khóa học";
        Import = "import", "Nhập từ tệp";
    }
}

code_enum! {
    /// What a course teaches.
    CourseKind {
        PoliticalTheory = "political_theory", "Lý luận chính trị";
        StateManagement = "state_management", "Quản lý nhà nước";
        Degree = "degree", "Đào tạo trình độ (đại học, thạc sĩ, tiến sĩ)";
        Refresher = "refresher", "Bồi dưỡng nghiệp vụ, chuyên đề, theo vị trí việc làm";
        It = "it", "Tin học";
        ForeignLanguage = "foreign_language", "Ngoại ngữ";
        Party = "party", "Lớp đối tượng Đảng, đảng viên mới";
        Leadership = "leadership", "Bồi dưỡng lãnh đạo, quản lý";
        DefenseSecurity = "defense_security", "Kiến thức quốc phòng – an ninh";
        Other = "other", "Khác";
    }
}

code_enum! {
    /// Training leads to a diploma; refresher courses do not.
    Track {
        Training = "training", "Đào tạo";
        Refresher = "refresher", "Bồi dưỡng";
    }
}

code_enum! {
    /// Where a class stands.
    ClassStatus {
        Planned = "planned", "Dự kiến";
        Open = "open", "Đang tuyển sinh";
        InProgress = "in_progress", "Đang học";
        Finished = "finished", "Đã kết thúc";
        Cancelled = "cancelled", "Đã hủy";
    }
}

code_enum! {
    /// Where training took place.
    TrainingLocation {
        Domestic = "domestic", "Trong nước";
        Abroad = "abroad", "Nước ngoài";
    }
}

code_enum! {
    /// How the learners studied.
    StudyMode {
        FullTime = "full_time", "Tập trung";
        PartTime = "part_time", "Không tập trung";
    }
}

code_enum! {
    /// Who paid for the training.
    Funding {
        StateBudget = "state_budget", "Ngân sách nhà nước";
        Agency = "agency", "Kinh phí của cơ quan, đơn vị";
        SelfFunded = "self", "Cá nhân tự túc";
        Sponsor = "sponsor", "Tài trợ, học bổng";
    }
}

impl ClassStatus {
    /// Whether the class is held (planned, running or done): a cancelled class organizes
    /// nothing and takes no enrollments.
    pub fn is_held(self) -> bool {
        self != ClassStatus::Cancelled
    }
}

code_enum! {
    /// Where one official's enrollment in a class stands.
    EnrollmentStatus {
        Nominated = "nominated", "Được cử đi học";
        Enrolled = "enrolled", "Đang học";
        Completed = "completed", "Hoàn thành";
        Failed = "failed", "Không đạt";
        Withdrawn = "withdrawn", "Rút khỏi lớp";
    }
}

code_enum! {
    /// Where a unit's training plan for a year stands.
    PlanStatus {
        Draft = "draft", "Dự thảo";
        Submitted = "submitted", "Đã trình cấp trên";
        Approved = "approved", "Đã phê duyệt";
        Returned = "returned", "Bị trả lại để chỉnh sửa";
        Closed = "closed", "Đã kết thúc";
    }
}

code_enum! {
    /// Why an official is registered for training.
    NeedReason {
        Standard = "standard", "Chuẩn hóa theo tiêu chuẩn chức danh";
        Succession = "succession", "Quy hoạch";
        Job = "job", "Yêu cầu vị trí việc làm";
        Other = "other", "Khác";
    }
}

code_enum! {
    /// How far a registered need has been met in the plan's year (computed from enrollments).
    Fulfilment {
        Met = "met", "Đã đáp ứng";
        InProgress = "in_progress", "Đang học";
        Open = "open", "Chưa đáp ứng";
    }
}

/// Who moves a plan on: the hr of its own unit, or the level above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanParty {
    /// The hr of the plan's own unit (or an admin): drafts and submits it.
    Owner,
    /// The hr of a unit above the plan's (or an admin): approves, returns and closes it.
    Approver,
}

impl PlanStatus {
    /// Whether the plan's unit may still change it: a draft, or a plan returned to it.
    pub fn is_editable(self) -> bool {
        matches!(self, PlanStatus::Draft | PlanStatus::Returned)
    }

    /// Who may move a plan from `self` to `next`, if anyone: its own unit submits a draft
    /// or a returned plan; the level above approves or returns a submitted one and closes
    /// an approved one at year end. Nothing else is allowed.
    pub fn moved_by(self, next: PlanStatus) -> Option<PlanParty> {
        use PlanStatus::*;
        match (self, next) {
            (Draft | Returned, Submitted) => Some(PlanParty::Owner),
            (Submitted, Approved | Returned) | (Approved, Closed) => Some(PlanParty::Approver),
            _ => None,
        }
    }

    /// The audit log's name for the move to this status.
    pub fn audit_action(self) -> AuditAction {
        match self {
            PlanStatus::Submitted => AuditAction::Submit,
            PlanStatus::Approved => AuditAction::Approve,
            PlanStatus::Returned => AuditAction::Return,
            PlanStatus::Closed => AuditAction::Close,
            PlanStatus::Draft => AuditAction::Update,
        }
    }
}

code_enum! {
    /// The grade of a completed enrollment.
    EnrollmentResult {
        Excellent = "excellent", "Xuất sắc";
        Good = "good", "Giỏi";
        Fair = "fair", "Khá";
        Average = "average", "Trung bình";
    }
}

code_enum! {
    /// What a write did, as the audit log records it.
    AuditAction {
        Create = "create", "Tạo mới";
        Update = "update", "Sửa";
        Delete = "delete", "Xóa";
        Transfer = "transfer", "Điều động, luân chuyển";
        Separation = "separation", "Thôi công tác";
        Enroll = "enroll", "Cử đi học";
        Confer = "confer", "Ghi nhận trình độ do hoàn thành khóa học";
        Revoke = "revoke", "Bỏ trình độ đã ghi nhận";
        Unlock = "unlock", "Mở khóa đăng nhập";
        Login = "login", "Đăng nhập";
        LoginFailed = "login_failed", "Đăng nhập không thành công";
        LoginLocked = "login_locked", "Đăng nhập bị từ chối do đang bị khóa (ghi bởi các phiên bản trước)";
        PasswordChange = "password_change", "Đổi mật khẩu";
        PasswordChangeFailed = "password_change_failed", "Đổi mật khẩu không thành công";
        SeedDemo = "seed_demo", "Nạp dữ liệu mẫu";
        SeedSynthetic = "seed_synthetic", "Nạp dữ liệu tổng hợp";
        Submit = "submit", "Trình kế hoạch";
        Approve = "approve", "Phê duyệt kế hoạch";
        Return = "return", "Trả lại kế hoạch";
        Close = "close", "Kết thúc kế hoạch";
        ProposeNeeds = "propose_needs", "Đề xuất nhu cầu đào tạo theo tiêu chuẩn chức danh";
    }
}

code_enum! {
    /// The kind of record an audit entry is about.
    AuditEntity {
        Unit = "unit", "Đơn vị";
        Position = "position", "Chức danh, vị trí";
        Official = "official", "Cán bộ, công chức, viên chức";
        Qualification = "qualification", "Trình độ";
        Rank = "rank", "Ngạch công chức";
        Course = "course", "Chương trình đào tạo, bồi dưỡng";
        Class = "class", "Lớp học";
        Enrollment = "enrollment", "Lượt cử đi học";
        User = "user", "Tài khoản";
        Database = "database", "Cơ sở dữ liệu";
        Import = "import", "Lần nhập dữ liệu từ tệp";
        Plan = "plan", "Kế hoạch đào tạo, bồi dưỡng";
        PlanItem = "plan_item", "Nội dung kế hoạch đào tạo, bồi dưỡng";
        PlanNeed = "plan_need", "Nhu cầu đào tạo, bồi dưỡng đã đăng ký";
    }
}
code_enum! {
    /// What a spreadsheet import brings in.
    ImportKind {
        Units = "units", "Đơn vị";
        Positions = "positions", "Chức danh";
        Officials = "officials", "Cán bộ, công chức, viên chức";
        Qualifications = "qualifications", "Văn bằng, chứng chỉ";
        Enrollments = "enrollments", "Cử đi học";
        PlanItems = "plan_items", "Nội dung kế hoạch đào tạo, bồi dưỡng";
        PlanNeeds = "plan_needs", "Nhu cầu đào tạo, bồi dưỡng";
    }
}
code_enum! {
    /// What an import does with a row whose key is already stored.
    ImportMode {
        Create = "create", "Chỉ thêm mới: dòng trùng mã bị từ chối";
        Upsert = "upsert", "Thêm mới hoặc cập nhật theo mã";
    }
}

impl CourseKind {
    /// Political theory and degree courses are training; the rest are refresher courses.
    pub fn default_track(self) -> Track {
        match self {
            CourseKind::PoliticalTheory | CourseKind::Degree => Track::Training,
            _ => Track::Refresher,
        }
    }
}

impl EnrollmentStatus {
    /// Whether an enrollment may go from `self` to `next`: nominated → enrolled →
    /// completed | failed, withdrawn from nominated or enrolled, and a correction from
    /// completed or failed back to enrolled.
    pub fn can_become(self, next: EnrollmentStatus) -> bool {
        use EnrollmentStatus::*;
        matches!(
            (self, next),
            (Nominated, Enrolled)
                | (Enrolled, Completed)
                | (Enrolled, Failed)
                | (Nominated, Withdrawn)
                | (Enrolled, Withdrawn)
                | (Completed, Enrolled)
                | (Failed, Enrolled)
        )
    }

    /// Whether the enrollment takes a seat: capacity counts nominated, enrolled and completed.
    pub fn takes_a_seat(self) -> bool {
        matches!(
            self,
            EnrollmentStatus::Nominated | EnrollmentStatus::Enrolled | EnrollmentStatus::Completed
        )
    }

    /// Whether the official was really sent and learned: enrolled, completed or failed.
    pub fn counts_as_learner(self) -> bool {
        matches!(
            self,
            EnrollmentStatus::Enrolled | EnrollmentStatus::Completed | EnrollmentStatus::Failed
        )
    }
}

code_enum! {
    /// A qualification dimension.
    Dimension {
        Education = "education", "Trình độ chuyên môn";
        PoliticalTheory = "political_theory", "Lý luận chính trị";
        StateManagement = "state_management", "Quản lý nhà nước";
        It = "it", "Tin học";
        ForeignLanguage = "foreign_language", "Ngoại ngữ";
    }
}

code_enum! {
    /// Education level (trình độ chuyên môn), lowest first.
    EducationLevel {
        None = "none", "Chưa qua đào tạo";
        Elementary = "elementary", "Sơ cấp";
        Intermediate = "intermediate", "Trung cấp";
        College = "college", "Cao đẳng";
        University = "university", "Đại học";
        Master = "master", "Thạc sĩ";
        Doctorate = "doctorate", "Tiến sĩ";
    }
}
level_ranks! { EducationLevel { None = 0, Elementary = 1, Intermediate = 2, College = 3, University = 4, Master = 5, Doctorate = 6, } }

code_enum! {
    /// Political theory level (lý luận chính trị), lowest first; bachelor ranks with advanced.
    PoliticalTheoryLevel {
        None = "none", "Chưa qua đào tạo";
        Elementary = "elementary", "Sơ cấp";
        Intermediate = "intermediate", "Trung cấp";
        Advanced = "advanced", "Cao cấp";
        Bachelor = "bachelor", "Cử nhân";
    }
}
level_ranks! { PoliticalTheoryLevel { None = 0, Elementary = 1, Intermediate = 2, Advanced = 3, Bachelor = 3, } }

code_enum! {
    /// State management level (quản lý nhà nước), lowest first.
    StateManagementLevel {
        None = "none", "Chưa qua bồi dưỡng";
        Clerk = "clerk", "Cán sự";
        Specialist = "specialist", "Chuyên viên";
        PrincipalSpecialist = "principal_specialist", "Chuyên viên chính";
        SeniorSpecialist = "senior_specialist", "Chuyên viên cao cấp";
    }
}
level_ranks! { StateManagementLevel { None = 0, Clerk = 1, Specialist = 2, PrincipalSpecialist = 3, SeniorSpecialist = 4, } }

code_enum! {
    /// IT level (tin học), lowest first.
    ItLevel {
        None = "none", "Chưa có chứng chỉ";
        Basic = "basic", "Ứng dụng CNTT cơ bản";
        Advanced = "advanced", "Ứng dụng CNTT nâng cao";
    }
}
level_ranks! { ItLevel { None = 0, Basic = 1, Advanced = 2, } }

code_enum! {
    /// Foreign language level on the six-level framework (A1…C2), lowest first.
    ForeignLanguageLevel {
        None = "none", "Chưa có chứng chỉ";
        Level1 = "level_1", "Bậc 1 (A1)";
        Level2 = "level_2", "Bậc 2 (A2)";
        Level3 = "level_3", "Bậc 3 (B1)";
        Level4 = "level_4", "Bậc 4 (B2)";
        Level5 = "level_5", "Bậc 5 (C1)";
        Level6 = "level_6", "Bậc 6 (C2)";
    }
}
level_ranks! { ForeignLanguageLevel { None = 0, Level1 = 1, Level2 = 2, Level3 = 3, Level4 = 4, Level5 = 5, Level6 = 6, } }

/// A qualification level of any dimension, as the API writes it (a text code): its schema
/// is the enumeration of every dimension's levels, with each dimension's list in its
/// description, so that clients get an enum; which levels a dimension takes is checked
/// where a level meets its dimension.
pub struct Level;

impl utoipa::__dev::ComposeSchema for Level {
    fn compose(
        _: Vec<utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>>,
    ) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let mut codes: Vec<&str> = Vec::new();
        let mut lists = Vec::new();
        for dimension in Dimension::ALL {
            let levels: Vec<&str> = dimension.levels().iter().map(|level| level.code).collect();
            lists.push(format!("`{}`: {}", dimension.code(), levels.join(", ")));
            for code in levels {
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
        }
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(codes))
            .description(Some(format!(
                "A qualification level; each dimension takes its own, lowest first. {}.",
                lists.join("; ")
            )))
            .into()
    }
}

impl ToSchema for Level {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Level")
    }
}

impl Dimension {
    /// The dimension's levels with their ranks, lowest first.
    pub fn levels(self) -> Vec<EnumValue> {
        match self {
            Dimension::Education => EducationLevel::ranked_values(),
            Dimension::PoliticalTheory => PoliticalTheoryLevel::ranked_values(),
            Dimension::StateManagement => StateManagementLevel::ranked_values(),
            Dimension::It => ItLevel::ranked_values(),
            Dimension::ForeignLanguage => ForeignLanguageLevel::ranked_values(),
        }
    }

    /// The rank of `level` in this dimension, or `None` when the level does not belong to it.
    pub fn rank_of(self, level: &str) -> Option<u8> {
        match self {
            Dimension::Education => EducationLevel::parse(level).map(EducationLevel::rank),
            Dimension::PoliticalTheory => PoliticalTheoryLevel::parse(level).map(PoliticalTheoryLevel::rank),
            Dimension::StateManagement => StateManagementLevel::parse(level).map(StateManagementLevel::rank),
            Dimension::It => ItLevel::parse(level).map(ItLevel::rank),
            Dimension::ForeignLanguage => ForeignLanguageLevel::parse(level).map(ForeignLanguageLevel::rank),
        }
    }

    /// The position of `level` in this dimension's list, lowest first (unique, unlike the rank).
    pub fn order_of(self, level: &str) -> Option<u8> {
        self.levels()
            .iter()
            .position(|v| v.code == level)
            .and_then(|i| u8::try_from(i).ok())
    }

    /// The level at `order` in this dimension's list.
    pub fn level_at(self, order: i32) -> Option<&'static str> {
        usize::try_from(order)
            .ok()
            .and_then(|i| self.levels().get(i).map(|v| v.code))
    }

    /// The highest of `levels` (by rank, then by the order of the list), or `none`.
    pub fn highest<'a>(self, levels: impl IntoIterator<Item = &'a str>) -> &'a str {
        let order = self.levels();
        levels
            .into_iter()
            .filter_map(|code| {
                let rank = self.rank_of(code)?;
                let index = order.iter().position(|v| v.code == code)?;
                Some(((rank, index), code))
            })
            .max_by_key(|(key, _)| *key)
            .map_or("none", |(_, code)| code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_belong_to_their_dimension() {
        assert_eq!(Dimension::Education.rank_of("university"), Some(4));
        assert_eq!(Dimension::Education.rank_of("advanced"), None);
        assert_eq!(Dimension::PoliticalTheory.rank_of("bachelor"), Some(3));
    }

    /// Checks each `WHEN … THEN n` of the SQL `CASE`s in `sql` against the enums (a rank, or
    /// an order for `level_order`) and returns how many it checked.
    fn check_ranks_written_out(sql: &str) -> usize {
        let mut column = "";
        let mut checked = 0;
        for line in sql.lines().map(str::trim) {
            if let Some(name) = line.strip_suffix(" = CASE") {
                column = name;
                continue;
            }
            if line.starts_with("ELSE") {
                column = "";
            }
            let Some(when) = line.strip_prefix("WHEN ").filter(|_| !column.is_empty()) else {
                continue;
            };
            let (condition, value) = when.split_once(" THEN ").expect("WHEN … THEN n");
            let value: u8 = value.trim_end_matches(',').parse().expect("a number");
            let quoted = |text: &str| text.split('\'').nth(1).expect("a quoted code").to_owned();
            let (dimension, level) = match condition.split_once(" AND ") {
                Some((dimension, level)) => (quoted(dimension), quoted(level)),
                None => {
                    let standard = column.strip_prefix("min_").and_then(|c| c.strip_suffix("_rank"));
                    (standard.expect("a min_…_rank column").to_owned(), quoted(condition))
                }
            };
            let dimension = Dimension::parse(&dimension).expect("a dimension");
            let expected = if column == "level_order" {
                dimension.order_of(&level)
            } else {
                dimension.rank_of(&level)
            };
            assert_eq!(Some(value), expected, "{column}: {dimension} {level}");
            checked += 1;
        }
        checked
    }

    /// Migration 3 filled the level columns of existing rows with the ranks and orders of the
    /// time, written out as SQL `CASE`s; they must say what the enums say, on both backends.
    #[test]
    fn the_ranks_migration_3_wrote_agree_with_the_enums() {
        for sql in [
            include_str!("../../migrations/sqlite/2026-11-27-000003_reports/up.sql"),
            include_str!("../../migrations/postgres/2026-11-27-000003_reports/up.sql"),
        ] {
            // Every level of every dimension, twice (order and rank), and the three standards.
            let levels: usize = Dimension::ALL.iter().map(|d| d.levels().len()).sum();
            let standards = [
                Dimension::Education,
                Dimension::PoliticalTheory,
                Dimension::StateManagement,
            ]
            .iter()
            .map(|d| d.levels().len())
            .sum::<usize>();
            assert_eq!(check_ranks_written_out(sql), 2 * levels + standards);
        }
    }

    /// Migration 26 filled the courses' conferred ranks the same way.
    #[test]
    fn the_conferred_ranks_migration_26_wrote_agree_with_the_enums() {
        for sql in [
            include_str!("../../migrations/sqlite/2026-12-04-000026_need_fulfilment/up.sql"),
            include_str!("../../migrations/postgres/2026-12-04-000026_need_fulfilment/up.sql"),
        ] {
            let levels: usize = Dimension::ALL.iter().map(|d| d.levels().len()).sum();
            assert_eq!(check_ranks_written_out(sql), levels);
        }
    }

    #[test]
    fn enrollment_transitions() {
        use EnrollmentStatus::*;
        let legal = [
            (Nominated, Enrolled),
            (Enrolled, Completed),
            (Enrolled, Failed),
            (Nominated, Withdrawn),
            (Enrolled, Withdrawn),
            (Completed, Enrolled),
            (Failed, Enrolled),
        ];
        for from in EnrollmentStatus::ALL {
            for to in EnrollmentStatus::ALL {
                assert_eq!(from.can_become(*to), legal.contains(&(*from, *to)), "{from} -> {to}");
            }
        }
    }

    #[test]
    fn highest_level_wins() {
        assert_eq!(
            Dimension::Education.highest(["college", "master", "university"]),
            "master"
        );
        assert_eq!(Dimension::It.highest([]), "none");
        assert_eq!(Dimension::PoliticalTheory.highest(["bachelor", "advanced"]), "bachelor");
    }
}
