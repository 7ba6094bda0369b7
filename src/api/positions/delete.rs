use crate::api::prelude::*;
use crate::model::position::Position;

delete_handler! {
    /// Deletes a position nobody holds or has held (admins only).
    fn delete_position("/positions/{id}") for Admin;
    tag "positions", record Position, id "The position's id.", deleted "The position was deleted.";
    lock |conn, _, id| Position::lock(conn, id);
    delete |conn, id, _, version| Position::delete(conn, id, version);
}
