use super::official_in_reach;
use crate::api::prelude::*;
use crate::model::official::Official;

read_handler! {
    /// Reads one official, with their current levels.
    fn find_official("/officials/{id}") for Caller => Official;
    tag "officials", id "The official's id.", found "The official; `ETag` carries the version.", errors ReadErrors;
    read official_in_reach;
}
