use chrono::NaiveDate;

use super::{locked_official, resolve_post};
use crate::api::personal::answer_write;
use crate::api::prelude::*;
use crate::domain::Category;
use crate::model::official::{Move, Official};

/// The body of `POST /officials/{id}/transfer`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferOfficial {
    /// The unit they move to.
    #[schema(required = true, nullable = false)]
    pub unit_id: Option<i64>,
    /// The position they take; none keeps no position.
    pub position_id: Option<i64>,
    /// Category in the new post; defaults to the position's, else the current one.
    pub category: Option<Category>,
    /// The day of the move: the old assignment ends and the new one starts.
    #[serde(default, deserialize_with = "day")]
    #[schema(value_type = Day, required = true, nullable = false)]
    pub effective_on: Option<NaiveDate>,
}

/// A move as the body gives it: the category may still follow from the position, else
/// the current one.
#[derive(Debug)]
pub struct Transfer {
    unit_id: i64,
    position_id: Option<i64>,
    category: Option<Category>,
    effective_on: NaiveDate,
}

impl FromBody for Transfer {
    type Body = TransferOfficial;
}

impl TryFrom<TransferOfficial> for Transfer {
    type Error = FieldErrors;

    fn try_from(body: TransferOfficial) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let unit_id = checks.required(body.unit_id, "unit_id");
        let effective_on = checks.required(body.effective_on, "effective_on");
        checks.into_value(|| {
            Some(Transfer {
                unit_id: unit_id?,
                position_id: body.position_id,
                category: body.category,
                effective_on: effective_on?,
            })
        })
    }
}

update_handler! {
    /// Moves an official (transfer, rotation): closes the open assignment and opens the next, in one
    /// transaction. An `hr` user needs both units in their subtree.
    fn transfer_official(post "/officials/{id}/transfer") for Writer,
        body TransferOfficial as Valid<Transfer> => Official;
    tag "officials", id "The official's id.", changed "The official in their new post.";
    write |conn, audit, scope, id, if_match, to| {
        let official = transfer(conn, audit, scope, id, if_match, to)?;
        answer_write(conn, audit, "POST /api/v1/officials/{id}/transfer", &official)
    };
}

/// The change itself: what the handler runs in its transaction, and what an import runs for a
/// row that changes a stored record.
pub(crate) fn transfer(
    conn: &mut crate::db::DbConn,
    audit: &mut crate::db::Audit,
    scope: &Scope,
    id: i64,
    if_match: IfMatch,
    transfer: Transfer,
) -> Result<Official, ApiError> {
    let current = locked_official(conn, scope, id)?;
    let mut checks = Checks::default();
    let category = resolve_post(
        conn,
        &mut checks,
        Some(transfer.unit_id),
        transfer.position_id,
        transfer.category,
        transfer.effective_on,
    )?;
    checks.finish()?;
    scope.check_unit(conn, transfer.unit_id)?;
    let to = Move {
        unit_id: transfer.unit_id,
        position_id: transfer.position_id,
        category: category.unwrap_or(current.category),
        effective_on: transfer.effective_on,
    };
    let official = Official::transfer(conn, &current, to, if_match.expected(current.version))?;
    audit.record(
        AuditAction::Transfer,
        AuditEntity::Official,
        Some(id),
        Some(&current),
        Some(&official),
    )?;
    Ok(official)
}
