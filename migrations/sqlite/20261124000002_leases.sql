-- Short-lived named locks shared by every server process on this database
-- (e.g. "one meeting creation per room at a time").
CREATE TABLE lease (
    key        TEXT PRIMARY KEY NOT NULL,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
