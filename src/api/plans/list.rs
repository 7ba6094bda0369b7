use super::plan_in_reach;
use crate::api::prelude::*;
use crate::db::DbConn;
use crate::domain::PlanStatus;
use crate::files::{column, Cell, Column, Table};
use crate::model::plan::{Plan, PlanFilter, PlanItem, PlanView};
use crate::reports::plans::level_cell;

/// Filters of `GET /plans`.
#[derive(Debug, Clone, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanListQuery {
    /// Only plans for this year.
    #[validate(range(min = 1945, max = 2100))]
    #[param(minimum = 1945, maximum = 2100)]
    pub year: Option<i32>,
    /// Only plans with this status (`approved` for what a consolidation sums).
    pub status: Option<PlanStatus>,
    /// Only this unit's plan, or with `subtree=true` the plans of every unit of its subtree.
    pub unit_id: Option<i64>,
    /// With `unit_id`: the plans of the unit's whole subtree (a parent's consolidated view).
    pub subtree: Option<bool>,
}

list_handlers! {
    /// Lists training plans, newest year first, then in the unit tree's order (for an `hr`
    /// user, those of their subtree), each with what its items add up to.
    fn list_plans("/plans") -> Page<PlanView>, "A page of plans.";
    /// Every plan the filters match, as a file (CSV or XLSX).
    fn download_plans("/plans/download");
    tag "plans", query PlanListQuery, errors ListErrors, narrow "year";
    load load, table |_, rows| Ok(plans_table(rows));
}

/// The plans the query matches: one page, and how many in all.
fn load(conn: &mut DbConn, scope: &Scope, query: PlanListQuery, window: &Window) -> Result<Listed<PlanView>, ApiError> {
    let mut filter = PlanFilter {
        year: query.year,
        status: query.status,
        ..PlanFilter::default()
    };
    match (query.unit_id, query.subtree.unwrap_or(false)) {
        (Some(unit_id), true) => filter.within = Some(scope.subtree_of(conn, unit_id, "unit_id")?),
        (Some(unit_id), false) => {
            scope.subtree_of(conn, unit_id, "unit_id")?;
            filter.unit_id = Some(unit_id);
        }
        (None, true) => {
            return Err(ApiError::field(
                "subtree",
                "needs unit_id: the unit whose subtree to list",
            ))
        }
        (None, false) => {}
    }
    if let Scope::Subtree { units, .. } = scope {
        filter.visible_within = Some(units.clone());
    }
    Plan::list(conn, &filter, window)
}

/// The columns of the plans' file.
const PLAN_COLUMNS: [Column; 11] = [
    column("id", "Mã hệ thống kế hoạch"),
    column("unit_code", "Mã đơn vị"),
    column("unit_name", "Đơn vị"),
    column("year", "Năm"),
    column("status", "Trạng thái"),
    column("items", "Số nội dung"),
    column("planned_seats", "Số lượt người dự kiến cử đi"),
    column("planned_cost_vnd", "Kinh phí dự kiến (đồng)"),
    column("return_reason", "Lý do trả lại"),
    column("note", "Ghi chú"),
    column("approved_at", "Thời điểm phê duyệt"),
];

/// Plans as a table: one row each.
fn plans_table(rows: Vec<PlanView>) -> Table {
    let mut table = Table::new("plans", &PLAN_COLUMNS).title("Danh sách kế hoạch đào tạo, bồi dưỡng");
    for view in rows {
        let plan = view.plan;
        table.row(vec![
            plan.id.into(),
            view.unit_code.into(),
            view.unit_name.into(),
            plan.year.into(),
            plan.status.into(),
            view.items.into(),
            view.planned_seats.into(),
            Cell::Amount(view.planned_cost_vnd),
            plan.return_reason.into(),
            plan.note.into(),
            plan.approved_at.into(),
        ]);
    }
    table
}

/// Lists a plan's items, by quarter (unscheduled last), then in the order they were added.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "The plan's id.")),
    responses((status = 200, description = "The items.", body = Vec<PlanItem>), ReadErrors)
)]
#[get("/plans/{id}/items")]
pub async fn list_plan_items(caller: Caller, db: web::Data<Db>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let plan_id = id.into_inner();
    let items = db
        .run_as(&caller, move |conn, scope| {
            plan_in_reach(conn, scope, plan_id)?;
            PlanItem::of_plan(conn, plan_id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(items))
}

/// What a download of a plan's items takes besides the file's options: nothing else.
#[derive(Debug, Clone, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanItemsQuery {}

/// A plan's items as a file (CSV or XLSX), by quarter: the plan's unit and year on each row,
/// the course by its code.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "The plan's id."), DownloadQuery, PlanItemsQuery),
    responses(FileDownload, BadRequest, Unauthorized, Forbidden, NotFound, Unprocessable)
)]
#[get("/plans/{id}/items/download")]
pub async fn download_plan_items(
    caller: Caller,
    db: web::Data<Db>,
    id: web::Path<i64>,
    Download(file, _): Download<PlanItemsQuery>,
) -> Result<HttpResponse, ApiError> {
    let plan_id = id.into_inner();
    // A plan's items are a few dozen: the file is made here, not spooled.
    let table = db
        .run_as(&caller, move |conn, scope| {
            let plan = plan_in_reach(conn, scope, plan_id)?;
            let plan = Plan::view(conn, plan)?;
            let items = PlanItem::of_plan(conn, plan_id)?;
            let courses = crate::model::keys::course_codes(conn)?;
            Ok(items_table(&plan, items, &courses))
        })
        .await?;
    table.respond(file)
}

/// A plan's items as a table, in the columns an import of plan items reads.
fn items_table(plan: &PlanView, items: Vec<PlanItem>, courses: &std::collections::HashMap<i64, String>) -> Table {
    let mut table = Table::new(
        format!("plan-items-{}-{}", plan.unit_code, plan.plan.year),
        &crate::exchange::columns(crate::exchange::PLAN_ITEMS),
    )
    .title("Nội dung kế hoạch đào tạo, bồi dưỡng")
    .title(format!("Đơn vị: {} — năm {}", plan.unit_name, plan.plan.year));
    for item in items {
        table.row(vec![
            plan.unit_code.as_str().into(),
            plan.plan.year.into(),
            item.course_id
                .and_then(|id| courses.get(&id))
                .map(String::as_str)
                .into(),
            item.kind.into(),
            item.dimension.into(),
            level_cell(item.dimension, item.level.as_deref()),
            item.seats.into(),
            item.quarter.into(),
            Cell::Amount(item.cost_vnd),
            item.purpose.into(),
            item.id.into(),
        ]);
    }
    table
}
