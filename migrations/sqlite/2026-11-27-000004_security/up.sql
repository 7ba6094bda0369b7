-- Security: users can be disabled, and every write leaves an append-only audit entry.

ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT 0;

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TIMESTAMP NOT NULL,
    -- No foreign key: the log outlives the users it names.
    user_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    before TEXT,
    after TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);
CREATE INDEX audit_log_user ON audit_log (user_id, at);
-- Recent failed logins of a username, for the lockout.
CREATE INDEX audit_log_actor ON audit_log (action, actor, at);
