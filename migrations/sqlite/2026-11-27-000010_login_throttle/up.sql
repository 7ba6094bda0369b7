-- Login throttling: failed attempts counted per (username, client address) and per client
-- address, in one row each that every attempt locks, so that concurrent attempts are
-- counted one at a time. Failures no longer add an audit entry each.

CREATE TABLE login_throttles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The username tried; '' for the row that counts every username from the address.
    username TEXT NOT NULL,
    -- The client's address (the peer, or the hop a trusted proxy names).
    address TEXT NOT NULL,
    -- When the current 15-minute window began.
    window_started_at TIMESTAMP NOT NULL,
    -- Attempts of the window that did not succeed (an attempt counts before its password
    -- is checked, and is taken back when it succeeds).
    failures INTEGER NOT NULL,
    -- Attempts are refused until then.
    locked_until TIMESTAMP,
    UNIQUE (username, address)
);
-- Counters whose window is over are deleted as attempts come (see LoginThrottle::count).
CREATE INDEX login_throttles_window ON login_throttles (window_started_at);

-- The lockout no longer reads failed logins from the audit log.
DROP INDEX audit_log_actor;
