use chrono::NaiveDate;

use crate::api::prelude::*;
use crate::domain::UnitKind;
use crate::model::unit::{NewUnit, Unit};

/// The body of `POST /units`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUnit {
    /// Unique code, e.g. "VP-PY-PT".
    #[schema(required = true, nullable = false)]
    pub code: Option<Code>,
    /// Name, e.g. "Phường Phúc Thắng".
    #[schema(required = true, nullable = false)]
    pub name: Option<Name>,
    /// Kind of unit.
    #[schema(required = true, nullable = false)]
    pub kind: Option<UnitKind>,
    /// The parent unit; omit for a root (a province).
    pub parent_id: Option<i64>,
    /// When the unit was established.
    #[serde(default, deserialize_with = "day")]
    #[schema(value_type = Option<Day>)]
    pub established_on: Option<NaiveDate>,
    /// When it was dissolved or merged away; not before `established_on`.
    #[serde(default, deserialize_with = "day")]
    #[schema(value_type = Option<Day>)]
    pub dissolved_on: Option<NaiveDate>,
}

impl FromBody for NewUnit {
    type Body = CreateUnit;
}

impl TryFrom<CreateUnit> for NewUnit {
    type Error = FieldErrors;

    fn try_from(body: CreateUnit) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let code = checks.required(body.code, "code");
        let name = checks.required(body.name, "name");
        let kind = checks.required(body.kind, "kind");
        checks.into_value(|| {
            Some(NewUnit::new(
                code?.into_inner(),
                name?.into_inner(),
                kind?,
                body.parent_id,
                body.established_on,
                body.dissolved_on,
            ))
        })
    }
}

/// Creates a unit under its parent (for an `hr` user, a parent within their subtree).
#[utoipa::path(
    tag = "units",
    request_body = CreateUnit,
    responses(
        Created<Unit>,
        CreateErrors
    )
)]
#[post("/units")]
pub async fn create_unit(
    Writer(caller): Writer,
    db: web::Data<Db>,
    Valid(new): Valid<NewUnit>,
) -> Result<HttpResponse, ApiError> {
    let unit = db
        .write_as(&caller, move |conn, audit, scope| {
            create_unit_in(conn, audit, scope, new)
        })
        .await?;
    Ok(created(&unit))
}

/// A unit cannot be dissolved before it was established.
pub(super) fn check_lifespan(checks: &mut Checks, established: Option<NaiveDate>, dissolved: Option<NaiveDate>) {
    if let (Some(established), Some(dissolved)) = (established, dissolved) {
        checks.check(
            dissolved < established,
            "dissolved_on",
            format!("must not be before established_on ({established})"),
        );
    }
}

/// The creation itself: what the handler runs in its transaction, and what an import runs
/// for a row that creates a record.
pub(crate) fn create_unit_in(
    conn: &mut crate::db::DbConn,
    audit: &mut crate::db::Audit,
    scope: &Scope,
    new: NewUnit,
) -> Result<Unit, ApiError> {
    // The dates, and the parent the body names, are checked together: one answer
    // names every field.
    let mut checks = Checks::default();
    check_lifespan(&mut checks, new.established_on, new.dissolved_on);
    let parent = checks.reference(new.parent_id.map(|id| Unit::find_referenced(conn, id, "parent_id")))?;
    checks.finish()?;
    match (&parent, scope) {
        (Some(parent), _) => scope.check(parent)?,
        (None, Scope::Subtree { .. }) => {
            return Err(ApiError::Forbidden(
                "only an admin may create a unit without a parent".to_owned(),
            ))
        }
        (None, Scope::All) => {}
    }
    let unit = Unit::create(conn, new)?;
    audit.created(AuditEntity::Unit, unit.id, &unit)?;
    Ok(unit)
}
