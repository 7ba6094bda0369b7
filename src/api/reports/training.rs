use chrono::NaiveDate;

use super::{period, report_handlers, report_unit};
use crate::api::prelude::*;
use crate::reports::training::{report, to_table, TrainingReport};

/// Parameters of `GET /reports/training` and of its download.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrainingReportQuery {
    /// The unit; its whole subtree counts.
    #[param(required = true)]
    pub unit_id: Option<i64>,
    /// First day: classes starting on or after it count (default: 1 January of `to`'s year).
    #[serde(default, deserialize_with = "day")]
    #[param(value_type = Option<Day>)]
    pub from: Option<NaiveDate>,
    /// Last day: classes starting on or before it count (default: today).
    #[serde(default, deserialize_with = "day")]
    #[param(value_type = Option<Day>)]
    pub to: Option<NaiveDate>,
}

/// The report and the name its file takes.
async fn training_report(
    caller: &Caller,
    db: &Db,
    query: TrainingReportQuery,
) -> Result<(TrainingReport, String), ApiError> {
    let (from, to) = period(query.from, query.to)?;
    let (report, code) = db
        .run_as(caller, move |conn, scope| {
            let unit = report_unit(conn, scope, query.unit_id)?;
            Ok((report(conn, &unit, from, to)?, unit.code))
        })
        .await?;
    Ok((report, format!("training-{code}-{from}-{to}")))
}

report_handlers! {
    /// Officials sent per track and per course, and classes organized, over classes starting in [`from`, `to`].
    fn report_training("/reports/training") -> TrainingReport;
    /// The training report as a file: one row per figure.
    fn download_training_report("/reports/training/download");
    query TrainingReportQuery, load training_report, table to_table;
}
