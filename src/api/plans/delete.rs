use super::{editable_item, editable_plan};
use crate::api::prelude::*;
use crate::model::plan::{Plan, PlanContents, PlanItem};
use crate::model::plan_need::PlanNeed;

delete_handler! {
    /// Deletes a draft or returned plan with its items (admins, and the hr of the plan's own unit).
    fn delete_plan("/plans/{id}") for Writer;
    tag "plans", record Plan, id "The plan's id.", deleted "The plan and its items were deleted.";
    lock |conn, scope, id| {
        let plan = editable_plan(conn, scope, id)?;
        let items = PlanItem::of_plan(conn, id)?;
        let needs = PlanNeed::of_plan(conn, id)?;
        Ok(PlanContents { plan, items, needs })
    };
    delete |conn, id, _, version| Plan::delete(conn, id, version);
}

delete_handler! {
    /// Deletes an item of a draft or returned plan (admins, and the hr of the plan's own unit).
    fn delete_plan_item("/plan-items/{id}") for Writer;
    tag "plans", record PlanItem, id "The item's id.", deleted "The item was deleted.";
    lock editable_item;
    delete |conn, id, _, version| PlanItem::delete(conn, id, version);
}
