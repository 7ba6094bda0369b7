DROP TABLE plan_needs;
