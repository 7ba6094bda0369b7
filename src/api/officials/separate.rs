use chrono::NaiveDate;

use super::locked_official;
use crate::api::personal::answer_write;
use crate::api::prelude::*;
use crate::domain::OfficialStatus;
use crate::model::official::Official;

/// The body of `POST /officials/{id}/separation`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeparateOfficial {
    /// The new status: `retired`, `transferred_out`, `deceased` or `dismissed`.
    #[schema(required = true, nullable = false)]
    pub status: Option<OfficialStatus>,
    /// The day they left: their open assignment ends then.
    #[serde(default, deserialize_with = "day")]
    #[schema(value_type = Day, required = true, nullable = false)]
    pub effective_on: Option<NaiveDate>,
}

/// A departure as the body gives it: a status other than `active`, and its day.
#[derive(Debug)]
pub struct Separation {
    status: OfficialStatus,
    effective_on: NaiveDate,
}

impl FromBody for Separation {
    type Body = SeparateOfficial;
}

impl TryFrom<SeparateOfficial> for Separation {
    type Error = FieldErrors;

    fn try_from(body: SeparateOfficial) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let status = checks.required(body.status, "status");
        let effective_on = checks.required(body.effective_on, "effective_on");
        checks.check(
            status == Some(OfficialStatus::Active),
            "status",
            "must be retired, transferred_out, deceased or dismissed",
        );
        checks.into_value(|| {
            Some(Separation {
                status: status?,
                effective_on: effective_on?,
            })
        })
    }
}

update_handler! {
    /// Records that an official left service (retirement, transfer out, death, dismissal).
    fn separate_official(post "/officials/{id}/separation") for Writer,
        body SeparateOfficial as Valid<Separation> => Official;
    tag "officials", id "The official's id.", changed "The official with the new status.";
    write |conn, audit, scope, id, if_match, Separation { status, effective_on }| {
        let current = locked_official(conn, scope, id)?;
        let official = Official::separate(conn, &current, status, effective_on, if_match.expected(current.version))?;
        audit.record(AuditAction::Separation, AuditEntity::Official, Some(id), Some(&current), Some(&official))?;
        answer_write(conn, audit, "POST /api/v1/officials/{id}/separation", &official)
    };
}
