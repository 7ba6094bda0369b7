use crate::api::prelude::*;
use crate::model::position::Position;

read_handler! {
    /// Reads one position.
    fn find_position("/positions/{id}") for Caller => Position;
    tag "positions", id "The position's id.", found "The position; `ETag` carries its version.", errors CatalogueReadErrors;
    read |conn, _, id| Position::find(conn, id);
}
