use chrono::NaiveDate;

use super::{report_handlers, report_unit, today};
use crate::api::prelude::*;
use crate::reports::compliance::{report, to_table, ComplianceReport};

/// Parameters of `GET /reports/compliance` and of its download.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplianceReportQuery {
    /// The unit; its whole subtree counts.
    #[param(required = true)]
    pub unit_id: Option<i64>,
    /// The day described (default: today).
    #[serde(default, deserialize_with = "day")]
    #[param(value_type = Option<Day>)]
    pub as_of: Option<NaiveDate>,
    /// How many shortfalls to list (1 to 10000, default 1000).
    #[validate(range(min = 1, max = 10000))]
    #[param(minimum = 1, maximum = 10000)]
    pub limit: Option<i64>,
    /// How many shortfalls to skip.
    #[validate(range(min = 0))]
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// The report and the name its file takes.
async fn compliance_report(
    caller: &Caller,
    db: &Db,
    query: ComplianceReportQuery,
) -> Result<(ComplianceReport, String), ApiError> {
    let as_of = query.as_of.unwrap_or_else(today);
    let (limit, offset) = (query.limit.unwrap_or(1000), query.offset.unwrap_or(0));
    let (report, code) = db
        .run_as(caller, move |conn, scope| {
            let unit = report_unit(conn, scope, query.unit_id)?;
            Ok((report(conn, &unit, as_of, limit, offset)?, unit.code))
        })
        .await?;
    Ok((report, format!("compliance-{code}-{as_of}")))
}

report_handlers! {
    /// Whether each official counted that day met the standards of the position they held, and the gaps of those who did not.
    fn report_compliance("/reports/compliance") -> ComplianceReport;
    /// The compliance report as a file: one row per official who fell short.
    fn download_compliance_report("/reports/compliance/download");
    query ComplianceReportQuery, load compliance_report, table to_table;
}
