use super::{editable_plan, resolve_planned, Content, Planned};
use crate::api::prelude::*;
use crate::domain::{CourseKind, Dimension, PlanParty};
use crate::model::plan::{NewPlanItem, Plan, PlanItem, PlanView};
use crate::model::unit::Unit;

/// The body of `POST /plans`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlan {
    /// The unit whose plan it is (for an `hr` user, their own home unit).
    #[schema(required = true, nullable = false)]
    pub unit_id: Option<i64>,
    /// The year it plans; a unit has one plan a year.
    #[validate(range(min = 1945, max = 2100))]
    #[schema(required = true, nullable = false, minimum = 1945, maximum = 2100, example = 2019)]
    pub year: Option<i32>,
    /// A free-text note.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// A new plan, as its creator gives it.
#[derive(Debug)]
pub struct PlanInput {
    pub(crate) unit_id: i64,
    pub(crate) year: i32,
    note: Option<String>,
}

impl FromBody for PlanInput {
    type Body = CreatePlan;
}

impl TryFrom<CreatePlan> for PlanInput {
    type Error = FieldErrors;

    fn try_from(body: CreatePlan) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let unit_id = checks.required(body.unit_id, "unit_id");
        let year = checks.required(body.year, "year");
        checks.into_value(|| {
            Some(PlanInput {
                unit_id: unit_id?,
                year: year?,
                note: body.note,
            })
        })
    }
}

/// Starts a unit's training plan for a year, as a draft (admins, and the hr of that very
/// unit). A second plan of the same unit and year is a 409 `duplicate` on `year`.
#[utoipa::path(
    tag = "plans",
    request_body = CreatePlan,
    responses(Created<PlanView>, CreateErrors)
)]
#[post("/plans")]
pub async fn create_plan(
    Writer(caller): Writer,
    db: web::Data<Db>,
    Valid(input): Valid<PlanInput>,
) -> Result<HttpResponse, ApiError> {
    let view = db
        .write_as(&caller, move |conn, audit, scope| {
            let plan = start_plan(conn, audit, scope, input)?;
            Plan::view(conn, plan)
        })
        .await?;
    Ok(created(&view))
}

/// Starts a plan: what the handler runs in its transaction, and what an import runs for a
/// row naming a unit and year without a plan.
pub(crate) fn start_plan(
    conn: &mut crate::db::DbConn,
    audit: &mut crate::db::Audit,
    scope: &Scope,
    input: PlanInput,
) -> Result<Plan, ApiError> {
    let unit = Unit::find_referenced(conn, input.unit_id, "unit_id")?;
    super::act_as(scope, &unit, PlanParty::Owner)?;
    let plan = Plan::create(conn, unit.id, input.year, input.note)?;
    audit.created(AuditEntity::Plan, plan.id, &plan)?;
    Ok(plan)
}

/// The body of `POST /plans/{id}/items`: a course (`course_id`), or a kind of course with the
/// level it should confer (`kind`, and `dimension` with `level`), and the seats planned.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlanItem {
    /// The course planned; its kind and level are copied onto the item.
    pub course_id: Option<i64>,
    /// Without a course: the kind of course planned.
    pub kind: Option<CourseKind>,
    /// Without a course: the dimension in which it should confer a level; give `level` with it.
    pub dimension: Option<Dimension>,
    /// Without a course: the level it should confer, one of the dimension's levels (see `GET /enums`).
    #[validate(length(min = 1, max = 64))]
    #[schema(value_type = Option<crate::domain::Level>, example = "intermediate")]
    pub level: Option<String>,
    /// How many people the unit plans to send.
    #[validate(range(min = 0, max = 100_000))]
    #[schema(required = true, nullable = false, minimum = 0, maximum = 100_000)]
    pub seats: Option<i32>,
    /// The quarter it is planned for.
    #[validate(range(min = 1, max = 4))]
    #[schema(minimum = 1, maximum = 4)]
    pub quarter: Option<i32>,
    /// What it is planned to cost, in đồng (default 0).
    #[validate(range(min = 0, max = 1_000_000_000_000_i64))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub cost_vnd: Option<i64>,
    /// What it is for, e.g. "Chuẩn hóa trình độ lý luận chính trị cho cán bộ chủ chốt".
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub purpose: Option<String>,
}

/// A new item, as its creator gives it.
#[derive(Debug)]
pub struct ItemInput {
    planned: Planned,
    seats: i32,
    quarter: Option<i32>,
    cost_vnd: i64,
    purpose: Option<String>,
}

impl FromBody for ItemInput {
    type Body = CreatePlanItem;
}

impl TryFrom<CreatePlanItem> for ItemInput {
    type Error = FieldErrors;

    fn try_from(body: CreatePlanItem) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let seats = checks.required(body.seats, "seats");
        checks.into_value(|| {
            Some(ItemInput {
                planned: Planned {
                    course_id: body.course_id,
                    kind: body.kind,
                    dimension: body.dimension,
                    level: body.level,
                },
                seats: seats?,
                quarter: body.quarter,
                cost_vnd: body.cost_vnd.unwrap_or(0),
                purpose: body.purpose,
            })
        })
    }
}

/// Adds an item to a draft or returned plan (admins, and the hr of the plan's own unit); a
/// plan submitted, approved or closed is a 409 `plan_not_editable`.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "The plan's id.")),
    request_body = CreatePlanItem,
    responses(Created<PlanItem>, BadRequest, Unauthorized, Forbidden, NotFound, Conflict, TooLarge, Unprocessable)
)]
#[post("/plans/{id}/items")]
pub async fn create_plan_item(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    Valid(input): Valid<ItemInput>,
) -> Result<HttpResponse, ApiError> {
    let plan_id = id.into_inner();
    let item = db
        .write_as(&caller, move |conn, audit, scope| {
            let plan = editable_plan(conn, scope, plan_id)?;
            add_item(conn, audit, &plan, input)
        })
        .await?;
    Ok(created(&item))
}

/// Adds `input` to `plan` (locked, editable: see [`editable_plan`]): what the handler runs in
/// its transaction, and what an import runs for a new item.
pub(crate) fn add_item(
    conn: &mut crate::db::DbConn,
    audit: &mut crate::db::Audit,
    plan: &Plan,
    input: ItemInput,
) -> Result<PlanItem, ApiError> {
    let Content {
        course_id,
        kind,
        dimension,
        level,
    } = resolve_planned(conn, input.planned)?;
    let at = crate::clock::now();
    let item = PlanItem::create(
        conn,
        &NewPlanItem {
            plan_id: plan.id,
            course_id,
            kind,
            dimension,
            level,
            seats: input.seats,
            quarter: input.quarter,
            cost_vnd: input.cost_vnd,
            purpose: input.purpose,
            created_at: at,
            updated_at: at,
        },
    )?;
    audit.created(AuditEntity::PlanItem, item.id, &item)?;
    Ok(item)
}
