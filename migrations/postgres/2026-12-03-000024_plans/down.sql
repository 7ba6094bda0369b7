DROP TABLE plan_items;
DROP TABLE plans;
