-- Personal data protection: every response that disclosed a person's sensitive data or full
-- national ID, one entry per request, append-only like the audit log (no endpoint changes or
-- deletes an entry). The people it disclosed are listed beside it, so that a data subject's
-- request finds every entry that named them, an export's included.
CREATE TABLE processing_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TIMESTAMP NOT NULL,
    -- No foreign key: the log outlives the users it names.
    user_id BIGINT,
    actor TEXT NOT NULL,
    -- The operation, as the OpenAPI document names it: `GET /api/v1/officials/{id}`.
    endpoint TEXT NOT NULL,
    -- The request itself, with its filters: `GET /api/v1/officials?unit_id=3&include=sensitive`.
    request TEXT NOT NULL,
    -- The fields disclosed, comma-separated in the classification's order.
    fields TEXT NOT NULL,
    -- How many people.
    people BIGINT NOT NULL
);
CREATE INDEX processing_log_at ON processing_log (at);
CREATE INDEX processing_log_user ON processing_log (user_id, at);
-- No foreign key to officials either: what was disclosed about a person stays on record
-- after their record is deleted.
CREATE TABLE processing_log_subjects (
    official_id BIGINT NOT NULL,
    entry_id BIGINT NOT NULL REFERENCES processing_log (id),
    PRIMARY KEY (official_id, entry_id)
);
