use super::{report_handlers, report_unit, GroupBy};
use crate::api::prelude::*;
use crate::reports::plans::{report, to_table, PlanVsActual};

/// Parameters of `GET /reports/plan-vs-actual` and of its download.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanVsActualQuery {
    /// The unit: its own plan for the year and the approved or closed plans of the units below it count.
    #[param(required = true)]
    pub unit_id: Option<i64>,
    /// The year (default: this year).
    #[validate(range(min = 1945, max = 2100))]
    #[param(minimum = 1945, maximum = 2100)]
    pub year: Option<i32>,
    /// `unit`: add the same report for each direct child unit.
    pub group_by: Option<GroupBy>,
}

/// The report and the name its file takes.
async fn plan_vs_actual(
    caller: &Caller,
    db: &Db,
    query: PlanVsActualQuery,
) -> Result<(PlanVsActual, String), ApiError> {
    use chrono::Datelike;
    let year = query.year.unwrap_or_else(|| super::today().year());
    let by_child = query.group_by.is_some();
    let (report, code) = db
        .run_as(caller, move |conn, scope| {
            let unit = report_unit(conn, scope, query.unit_id)?;
            Ok((report(conn, &unit, year, by_child)?, unit.code))
        })
        .await?;
    Ok((report, format!("plan-vs-actual-{code}-{year}")))
}

report_handlers! {
    /// A unit's training plans for a year against what was done: per kind of course and level,
    /// and per item, the seats planned, the needs registered and how far they were met, the
    /// people sent and the cost planned against the cost incurred, with a `summary`.
    fn report_plan_vs_actual("/reports/plan-vs-actual") -> PlanVsActual;
    /// The plan-vs-actual report as a file: a row per kind and level, a row per item, then the summary.
    fn download_plan_vs_actual("/reports/plan-vs-actual/download");
    query PlanVsActualQuery, load plan_vs_actual, table to_table;
}
