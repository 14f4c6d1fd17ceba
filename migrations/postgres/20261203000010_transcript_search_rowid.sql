-- SQLite only (its FTS5 table gets an integer link to transcripts); PostgreSQL
-- searches the transcript rows themselves. Kept so both folders number alike.
SELECT 1;
