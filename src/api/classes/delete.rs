use super::locked_class;
use crate::api::prelude::*;
use crate::model::class::TrainingClass;

delete_handler! {
    /// Deletes a class without enrollments (one with enrollments can be cancelled instead).
    fn delete_class("/classes/{id}") for Writer;
    tag "classes", record Class, id "The class's id.", deleted "The class was deleted.";
    lock locked_class;
    delete |conn, id, _, version| TrainingClass::delete(conn, id, version);
}
