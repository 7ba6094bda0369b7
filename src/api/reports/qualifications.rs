use chrono::NaiveDate;

use super::{report_handlers, report_unit, today};
use crate::api::prelude::*;
use crate::domain::Category;
use crate::reports::qualifications::{report, to_table, QualificationReport};

/// How a qualification report is grouped.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One group per direct child unit.
    Unit,
}

/// Parameters of `GET /reports/qualifications` and of its download.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QualificationReportQuery {
    /// The unit; its whole subtree counts.
    #[param(required = true)]
    pub unit_id: Option<i64>,
    /// The day described (default: today): who was in the subtree then, what they held by then.
    #[serde(default, deserialize_with = "day")]
    #[param(value_type = Option<Day>)]
    pub as_of: Option<NaiveDate>,
    /// Only officials whose post that day was of this category.
    pub category: Option<Category>,
    /// `unit`: add the same figures for each direct child unit.
    pub group_by: Option<GroupBy>,
}

/// The report and the name its file takes.
async fn qualification_report(
    caller: &Caller,
    db: &Db,
    query: QualificationReportQuery,
) -> Result<(QualificationReport, String), ApiError> {
    let as_of = query.as_of.unwrap_or_else(today);
    let by_child = query.group_by.is_some();
    let category = query.category;
    let (report, code) = db
        .run_as(caller, move |conn, scope| {
            let unit = report_unit(conn, scope, query.unit_id)?;
            Ok((report(conn, &unit, as_of, category, by_child)?, unit.code))
        })
        .await?;
    Ok((report, format!("qualifications-{code}-{as_of}")))
}

report_handlers! {
    /// Headcount and, for every dimension, every level with `count`, `at_least` and `share`.
    fn report_qualifications("/reports/qualifications") -> QualificationReport;
    /// The qualification report as a file: one row per unit × dimension × level.
    fn download_qualification_report("/reports/qualifications/download");
    query QualificationReportQuery, load qualification_report, table to_table;
}
