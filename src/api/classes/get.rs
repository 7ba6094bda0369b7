use super::class_in_reach;
use crate::api::prelude::*;
use crate::model::class::{ClassView, TrainingClass};

read_handler! {
    /// Reads one class, with its enrollment counts and learners.
    fn find_class("/classes/{id}") for Caller => ClassView;
    tag "classes", id "The class's id.", found "The class; `ETag` carries its version.", errors ReadErrors;
    read |conn, scope, id| {
        let class = class_in_reach(conn, scope, id)?;
        TrainingClass::view(conn, class)
    };
}
