use chrono::NaiveDate;
use serde::Serialize;

use super::{editable_plan, plan_in_reach};
use crate::api::courses::check_level_of;
use crate::api::prelude::*;
use crate::db::DbConn;
use crate::domain::{Dimension, Fulfilment, NeedReason, OfficialStatus};
use crate::files::Table;
use crate::model::class::year_bounds;
use crate::model::official::Official;
use crate::model::plan::{Plan, PlanItem, PlanView};
use crate::model::plan_need::{NeedChanges, NeedView, NewNeed, PlanNeed};
use crate::model::unit::Unit;
use crate::reports::plans::level_cell;

/// The body of `POST /plans/{id}/needs`: an official, what they need (an item of the plan,
/// or a dimension and level without an item yet) and why.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateNeed {
    /// The official, working in the plan's unit or below it.
    #[schema(required = true, nullable = false)]
    pub official_id: Option<i64>,
    /// The plan's item they are registered for; the need takes its dimension and level.
    pub item_id: Option<i64>,
    /// Without an item: the dimension of the level needed; give `level` with it.
    pub dimension: Option<Dimension>,
    /// Without an item: the level needed, one of the dimension's levels.
    #[validate(length(min = 1, max = 64))]
    #[schema(value_type = Option<crate::domain::Level>, example = "intermediate")]
    pub level: Option<String>,
    /// Why they need it.
    #[schema(required = true, nullable = false)]
    pub reason: Option<NeedReason>,
    /// A free-text note.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// A new need, as its creator gives it.
#[derive(Debug)]
pub struct NeedInput {
    official_id: i64,
    item_id: Option<i64>,
    dimension: Option<Dimension>,
    level: Option<String>,
    reason: NeedReason,
    note: Option<String>,
}

impl FromBody for NeedInput {
    type Body = CreateNeed;
}

impl TryFrom<CreateNeed> for NeedInput {
    type Error = FieldErrors;

    fn try_from(body: CreateNeed) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let official_id = checks.required(body.official_id, "official_id");
        let reason = checks.required(body.reason, "reason");
        if body.item_id.is_some() {
            checks.check(
                body.dimension.is_some(),
                "dimension",
                "comes from the item: leave it out",
            );
            checks.check(body.level.is_some(), "level", "comes from the item: leave it out");
        } else if body.dimension.is_none() && body.level.is_none() {
            checks.add("item_id", "give item_id, or dimension and level");
        } else {
            check_level_of(
                &mut checks,
                (body.dimension, "dimension"),
                (body.level.as_deref(), "level"),
            );
        }
        checks.into_value(|| {
            Some(NeedInput {
                official_id: official_id?,
                item_id: body.item_id,
                dimension: body.dimension,
                level: body.level,
                reason: reason?,
                note: body.note,
            })
        })
    }
}

/// Registers `input` in `plan` (locked, editable): the official must work in the plan's unit
/// or below it and be in service; an item must be the plan's.
pub(crate) fn register(conn: &mut DbConn, plan: &Plan, input: NeedInput) -> Result<PlanNeed, ApiError> {
    let mut checks = Checks::default();
    let official = checks.reference(Some(
        Official::lock(conn, input.official_id).map_err(|e| e.on_field("official_id")),
    ))?;
    let item = checks.reference(input.item_id.map(|id| PlanItem::find_referenced(conn, id, "item_id")))?;
    checks.finish()?;
    let official = official.ok_or_else(|| ApiError::field("official_id", "does not exist"))?;
    let plan_unit = Unit::find(conn, plan.unit_id)?;
    let official_unit = Unit::find(conn, official.unit_id)?;
    let mut checks = Checks::default();
    checks.check(
        !plan_unit.subtree().contains(&official_unit.path),
        "official_id",
        format!("works outside {} and the units below it", plan_unit.name),
    );
    checks.check(
        official.status != OfficialStatus::Active,
        "official_id",
        format!("is no longer in service ({})", official.status),
    );
    if let Some(item) = &item {
        checks.check(item.plan_id != plan.id, "item_id", "is an item of another plan");
    }
    checks.finish()?;
    let (dimension, level) = match &item {
        Some(item) => (item.dimension, item.level.clone()),
        None => (input.dimension, input.level),
    };
    let level_rank = dimension
        .zip(level.as_deref())
        .and_then(|(dimension, level)| dimension.rank_of(level))
        .map(i32::from);
    let at = crate::clock::now();
    PlanNeed::create(
        conn,
        &NewNeed {
            plan_id: plan.id,
            official_id: official.id,
            item_id: item.map(|i| i.id),
            year: plan.year,
            dimension,
            level,
            level_rank,
            reason: input.reason,
            note: input.note,
            created_at: at,
            updated_at: at,
        },
    )
}

/// Registers an official's training need in a draft or returned plan (admins, and the hr of
/// the plan's own unit). An official has at most one need per dimension and level a year,
/// whatever the plan (409 `duplicate` on `official_id`).
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "The plan's id.")),
    request_body = CreateNeed,
    responses(Created<NeedView>, BadRequest, Unauthorized, Forbidden, NotFound, Conflict, TooLarge, Unprocessable)
)]
#[post("/plans/{id}/needs")]
pub async fn create_need(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    Valid(input): Valid<NeedInput>,
) -> Result<HttpResponse, ApiError> {
    let plan_id = id.into_inner();
    let view = db
        .write_as(&caller, move |conn, audit, scope| {
            let plan = editable_plan(conn, scope, plan_id)?;
            let need = register(conn, &plan, input)?;
            audit.created(AuditEntity::PlanNeed, need.id, &need)?;
            PlanNeed::view(conn, &need)
        })
        .await?;
    Ok(created(&view))
}

/// Filters of `GET /plans/{id}/needs`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NeedListQuery {
    /// Only needs this far met: `open` lists who still needs what.
    pub status: Option<Fulfilment>,
}

/// Lists a plan's needs by the officials' names, each with how far it has been met in the
/// plan's year (computed from the officials' enrollments).
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "The plan's id."), PageQuery, NeedListQuery),
    responses((status = 200, description = "A page of needs.", body = Page<NeedView>), BadRequest, Unauthorized, Forbidden, NotFound, Unprocessable)
)]
#[get("/plans/{id}/needs")]
pub async fn list_needs(
    caller: Caller,
    db: web::Data<Db>,
    id: web::Path<i64>,
    Paged(page, query): Paged<NeedListQuery>,
) -> Result<HttpResponse, ApiError> {
    let plan_id = id.into_inner();
    list_records(&db, &caller, page, move |conn, scope, window| {
        let plan = plan_in_reach(conn, scope, plan_id)?;
        PlanNeed::of_plans(conn, &[plan.id], plan.year, query.status, None, window)
    })
    .await
}

/// A plan's needs (optionally only those this far met) as a file (CSV or XLSX), by the
/// officials' names, each with how far it has been met.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "The plan's id."), DownloadQuery, NeedListQuery),
    responses(FileDownload, BadRequest, Unauthorized, Forbidden, NotFound, Unprocessable)
)]
#[get("/plans/{id}/needs/download")]
pub async fn download_needs(
    caller: Caller,
    db: web::Data<Db>,
    id: web::Path<i64>,
    Download(file, query): Download<NeedListQuery>,
) -> Result<HttpResponse, ApiError> {
    let plan_id = id.into_inner();
    let spooled = db
        .run_as(&caller, move |conn, scope| {
            let plan = plan_in_reach(conn, scope, plan_id)?;
            let plan = Plan::view(conn, plan)?;
            let (year, status) = (plan.plan.year, query.status);
            crate::db::snapshot(conn, |conn| {
                crate::api::spool(
                    conn,
                    scope,
                    file,
                    "status",
                    crate::api::DOWNLOAD_PAGE,
                    |conn, _, window| PlanNeed::of_plans(conn, &[plan_id], year, status, None, window),
                    |_, needs| Ok(needs_table(&plan, needs)),
                )
            })
        })
        .await?;
    spooled.respond()
}

/// Needs as a table, in the columns an import of needs reads.
fn needs_table(plan: &PlanView, needs: Vec<NeedView>) -> Table {
    let mut table = Table::new(
        format!("plan-needs-{}-{}", plan.unit_code, plan.plan.year),
        &crate::exchange::columns(crate::exchange::PLAN_NEEDS),
    )
    .title("Danh sách nhu cầu đào tạo, bồi dưỡng")
    .title(format!("Đơn vị: {} — năm {}", plan.unit_name, plan.plan.year));
    for view in needs {
        let need = view.need;
        table.row(vec![
            plan.unit_code.as_str().into(),
            need.year.into(),
            view.official_code.into(),
            view.full_name.into(),
            view.unit_name.into(),
            need.item_id.into(),
            need.dimension.into(),
            level_cell(need.dimension, need.level.as_deref()),
            need.reason.into(),
            view.fulfilment.into(),
            need.note.into(),
            need.id.into(),
        ]);
    }
    table
}

/// The need with this id, when the caller may see it.
fn need_in_reach(conn: &mut DbConn, scope: &Scope, id: i64) -> Result<PlanNeed, ApiError> {
    let need = PlanNeed::find(conn, id)?;
    plan_in_reach(conn, scope, need.plan_id)?;
    Ok(need)
}

/// The need with this id, locked with its plan (the plan first), for a change.
fn editable_need(conn: &mut DbConn, scope: &Scope, id: i64) -> Result<PlanNeed, ApiError> {
    // A need's plan never changes: read it before taking the locks.
    let unlocked = PlanNeed::find(conn, id)?;
    editable_plan(conn, scope, unlocked.plan_id)?;
    PlanNeed::lock(conn, id)
}

read_handler! {
    /// Reads one need with how far it has been met (for an `hr` user, of a plan of their subtree).
    fn find_need("/plan-needs/{id}") for Caller => NeedView;
    tag "plans", id "The need's id.", found "The need; `ETag` carries its version.", errors ReadErrors;
    read |conn, scope, id| {
        let need = need_in_reach(conn, scope, id)?;
        PlanNeed::view(conn, &need)
    };
}

patch_body! {
    /// The body of `PATCH /plan-needs/{id}`: why, and the note.
    pub struct UpdateNeed {
        /// Why the official needs it.
        reason: set NeedReason,
        /// A free-text note.
        #[validate(length(max = 2000))]
        #[schema(max_length = 2000)]
        note: clearable String,
    }
}

update_handler! {
    /// Changes a need's reason or note, in a draft or returned plan (admins, and the hr of the
    /// plan's own unit); what it needs changes by deleting it and registering another.
    fn update_need("/plan-needs/{id}") for Writer, body UpdateNeed => NeedView;
    tag "plans", id "The need's id.", changed "The changed need.";
    write |conn, audit, scope, id, if_match, body| {
        let changed = change_need(conn, audit, scope, id, if_match, body)?;
        PlanNeed::view(conn, &changed)
    };
}

/// The change itself: what the handler runs in its transaction, and what an import runs for a
/// row that changes a stored need.
pub(crate) fn change_need(
    conn: &mut DbConn,
    audit: &mut crate::db::Audit,
    scope: &Scope,
    id: i64,
    if_match: IfMatch,
    body: UpdateNeed,
) -> Result<PlanNeed, ApiError> {
    let current = editable_need(conn, scope, id)?;
    let changes = NeedChanges {
        reason: body.reason,
        note: body.note,
    };
    let changed = PlanNeed::update(conn, id, &changes, if_match.expected(current.version))?;
    audit.updated(AuditEntity::PlanNeed, id, &current, &changed)?;
    Ok(changed)
}

delete_handler! {
    /// Deletes a need of a draft or returned plan (admins, and the hr of the plan's own unit).
    fn delete_need("/plan-needs/{id}") for Writer;
    tag "plans", record PlanNeed, id "The need's id.", deleted "The need was deleted.";
    lock editable_need;
    delete |conn, id, _, version| PlanNeed::delete(conn, id, version);
}

/// The body of `POST /plans/{id}/needs/propose`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeNeeds {
    /// The day whose shortfalls are read (default: 1 January of the plan's year).
    #[serde(default, deserialize_with = "day")]
    #[schema(value_type = Option<Day>)]
    pub as_of: Option<NaiveDate>,
}

/// What a proposal registered.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposedNeeds {
    /// The day whose shortfalls were read.
    pub as_of: NaiveDate,
    /// How many needs it registered.
    pub created: i64,
    /// Those needs, by the officials' names.
    pub needs: Vec<NeedView>,
}

/// Registers, for every official of the plan's subtree who fell short of their post's
/// standards on `as_of` (the compliance report's shortfalls), a need for the lowest level
/// that closes each gap, with reason `standard`, linked to the plan's item of that level if
/// it has one. A gap already covered by a need of that year (in any plan) at that level or
/// above is left alone, so a second call registers nothing. Admins, and the hr of the plan's
/// own unit, on a draft or returned plan.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "The plan's id.")),
    request_body = ProposeNeeds,
    responses(
        (status = 200, description = "The needs registered.", body = ProposedNeeds),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, TooLarge, Unprocessable
    )
)]
#[post("/plans/{id}/needs/propose")]
pub async fn propose_needs(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    ValidJson(body): ValidJson<ProposeNeeds>,
) -> Result<HttpResponse, ApiError> {
    let plan_id = id.into_inner();
    let proposed = db
        .write_as(&caller, move |conn, audit, scope| {
            let plan = editable_plan(conn, scope, plan_id)?;
            let as_of = match body.as_of {
                Some(day) => day,
                None => year_bounds(plan.year)?.0,
            };
            let ids = propose(conn, audit, &plan, as_of)?;
            // The proposal itself is on record, with what it registered, even when that is nothing.
            audit.record::<(), _>(
                AuditAction::ProposeNeeds,
                AuditEntity::Plan,
                Some(plan.id),
                None,
                Some(&serde_json::json!({"as_of": as_of, "needs": ids})),
            )?;
            let listed = PlanNeed::of_plans(conn, &[plan.id], plan.year, None, Some(&ids), &Window::first(i64::MAX))?;
            let (needs, created) = (listed.items, listed.total.unwrap_or_default());
            Ok(ProposedNeeds { as_of, created, needs })
        })
        .await?;
    Ok(HttpResponse::Ok().json(proposed))
}

/// The proposal itself: the ids of the needs registered.
fn propose(
    conn: &mut DbConn,
    audit: &mut crate::db::Audit,
    plan: &Plan,
    as_of: NaiveDate,
) -> Result<Vec<i64>, ApiError> {
    let unit = Unit::find(conn, plan.unit_id)?;
    let report = crate::reports::compliance::report(conn, &unit, as_of, i64::MAX, 0)?;
    // Each gap: the official, and the lowest level of the dimension that closes it.
    let mut gaps = Vec::new();
    for shortfall in &report.shortfalls {
        for gap in &shortfall.gaps {
            let Some(required) = gap.dimension.rank_of(&gap.required) else {
                continue;
            };
            let level = gap
                .dimension
                .levels()
                .into_iter()
                .find(|level| level.rank.is_some_and(|rank| rank >= required));
            if let Some(level) = level {
                gaps.push((
                    shortfall.official_id,
                    gap.dimension,
                    level.code,
                    i32::from(level.rank.unwrap_or(required)),
                ));
            }
        }
    }
    // The officials' rows are locked as a registration locks one: a need registered for them
    // meanwhile, in any plan, is seen by the read that follows.
    let officials: Vec<i64> = gaps.iter().map(|gap| gap.0).collect();
    crate::db::lock_rows(conn, crate::db::Table::Officials, &officials)?;
    let held = PlanNeed::ranks_held(conn, &officials, plan.year)?;
    let items = PlanItem::of_plan(conn, plan.id)?;
    let at = crate::clock::now();
    let mut seen = std::collections::HashSet::new();
    let new: Vec<NewNeed> = gaps
        .into_iter()
        // A gap covered by a need of the year at its level or above is left alone; one need
        // closes a dimension's gap.
        .filter(|(official, dimension, _, rank)| held.get(&(*official, *dimension)).is_none_or(|held| held < rank))
        .filter(|(official, dimension, ..)| seen.insert((*official, *dimension)))
        .map(|(official_id, dimension, level, rank)| NewNeed {
            plan_id: plan.id,
            official_id,
            item_id: items
                .iter()
                .find(|item| item.dimension == Some(dimension) && item.level.as_deref() == Some(level))
                .map(|item| item.id),
            year: plan.year,
            dimension: Some(dimension),
            level: Some(level.to_owned()),
            level_rank: Some(rank),
            reason: NeedReason::Standard,
            note: None,
            created_at: at,
            updated_at: at,
        })
        .collect();
    let created = PlanNeed::create_many(conn, &new)?;
    for need in &created {
        audit.created(AuditEntity::PlanNeed, need.id, need)?;
    }
    Ok(created.into_iter().map(|need| need.id).collect())
}
