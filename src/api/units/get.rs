use crate::api::prelude::*;
use crate::model::unit::Unit;

read_handler! {
    /// Reads one unit.
    fn find_unit("/units/{id}") for Caller => Unit;
    tag "units", id "The unit's id.", found "The unit; `ETag` carries its version.", errors ReadErrors;
    read |conn, scope, id| {
        let unit = Unit::find(conn, id)?;
        scope.check(&unit)?;
        Ok(unit)
    };
}
