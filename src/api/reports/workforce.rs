use chrono::{Datelike, NaiveDate};

use super::{report_handlers, report_unit, today};
use crate::api::prelude::*;
use crate::domain::Category;
use crate::reports::workforce::{report, to_table, WorkforceReport};

/// How the workforce statistics are split.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkforceGroupBy {
    /// One row for the unit's own staff (when it has any) and one per direct child unit.
    #[default]
    Unit,
    /// One row: the unit's whole subtree.
    None,
}

/// Parameters of `GET /reports/workforce` and of its download.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkforceReportQuery {
    /// The unit; its whole subtree counts.
    #[param(required = true)]
    pub unit_id: Option<i64>,
    /// The day counted (default: 31 December of last year, as the yearly statistics count).
    #[serde(default, deserialize_with = "day")]
    #[param(value_type = Option<Day>)]
    pub as_of: Option<NaiveDate>,
    /// Only officials whose post that day was of this category.
    pub category: Option<Category>,
    /// `unit` (default): a row per part of the subtree; `none`: the unit alone.
    pub group_by: Option<WorkforceGroupBy>,
}

/// The report and the name its file takes.
async fn workforce_report(
    caller: &Caller,
    db: &Db,
    query: WorkforceReportQuery,
) -> Result<(WorkforceReport, String), ApiError> {
    let as_of = query
        .as_of
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(today().year() - 1, 12, 31).unwrap_or_else(today));
    let by_part = query.group_by.unwrap_or_default() == WorkforceGroupBy::Unit;
    let category = query.category;
    let (report, code) = db
        .run_as(caller, move |conn, scope| {
            let unit = report_unit(conn, scope, query.unit_id)?;
            Ok((report(conn, &unit, as_of, category, by_part)?, unit.code))
        })
        .await?;
    Ok((report, format!("workforce-{code}-{as_of}")))
}

report_handlers! {
    /// The year-end statistics of the quantity and quality of cadres and civil servants: for
    /// each part of the unit's subtree and in total, how many active officials on `as_of` —
    /// women, ethnic minorities, believers, party members; by civil-service rank held that day;
    /// by their highest level that day in each dimension; by age that day.
    fn report_workforce("/reports/workforce") -> WorkforceReport;
    /// The workforce statistics as a file: XLSX laid out as the paper form (two header rows,
    /// numbered columns, a total row); CSV with one flat header.
    fn download_workforce_report("/reports/workforce/download");
    query WorkforceReportQuery, load workforce_report, table to_table;
}
