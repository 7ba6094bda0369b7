CREATE INDEX audit_log_actor ON audit_log (action, actor, at);
DROP TABLE login_throttles;
