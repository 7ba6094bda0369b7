use super::locked_official;
use crate::api::prelude::*;
use crate::model::official::Official;

delete_handler! {
    /// Deletes an official entered by mistake, with their assignment history.
    /// One who still has qualification records is a 409.
    fn delete_official("/officials/{id}") for Writer;
    tag "officials", record Official, id "The official's id.", deleted "The official was deleted.";
    lock locked_official;
    delete |conn, id, _, version| Official::delete(conn, id, version);
}
