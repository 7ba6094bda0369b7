use chrono::{Datelike, NaiveDate};

use super::{report_handlers, report_unit, today, MAX_PERIOD_DAYS};
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
    let to = query.to.unwrap_or_else(today);
    let from = match query.from {
        Some(from) => from,
        None => NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to),
    };
    if from > to {
        return Err(ApiError::field("to", format!("must not be before from ({from})")));
    }
    if (to - from).num_days() > MAX_PERIOD_DAYS {
        return Err(ApiError::field("from", "the period may cover at most a hundred years"));
    }
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
