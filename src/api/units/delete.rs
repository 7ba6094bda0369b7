use crate::api::prelude::*;
use crate::model::unit::Unit;

delete_handler! {
    /// Deletes a unit that nothing refers to (no child units, officials, assignments or users).
    fn delete_unit("/units/{id}") for Writer;
    tag "units", record Unit, id "The unit's id.", deleted "The unit was deleted.";
    lock |conn, scope, id| {
        // The tree's lock first, then the unit's: the order of every move.
        Unit::lock_tree(conn)?;
        let unit = Unit::lock(conn, id)?;
        scope.check_below(&unit)?;
        Ok(unit)
    };
    delete |conn, id, _, version| Unit::delete(conn, id, version);
}
