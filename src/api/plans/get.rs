use super::plan_in_reach;
use crate::api::prelude::*;
use crate::model::plan::{Plan, PlanItem, PlanView};

read_handler! {
    /// Reads one training plan with what its items add up to (for an `hr` user, a plan of their subtree).
    fn find_plan("/plans/{id}") for Caller => PlanView;
    tag "plans", id "The plan's id.", found "The plan; `ETag` carries its version.", errors ReadErrors;
    read |conn, scope, id| {
        let plan = plan_in_reach(conn, scope, id)?;
        Plan::view(conn, plan)
    };
}

read_handler! {
    /// Reads one item of a training plan (for an `hr` user, of a plan of their subtree).
    fn find_plan_item("/plan-items/{id}") for Caller => PlanItem;
    tag "plans", id "The item's id.", found "The item; `ETag` carries its version.", errors ReadErrors;
    read |conn, scope, id| {
        let item = PlanItem::find(conn, id)?;
        plan_in_reach(conn, scope, item.plan_id)?;
        Ok(item)
    };
}
