-- Search reaches a transcript from its full-text row by an integer, through
-- an index holding all that ranking and counting need: reading the FTS
-- row's transcript_id meant reading its whole stored text, and finding a
-- transcript's FTS row by that id meant scanning them all.
ALTER TABLE transcript ADD COLUMN search_rowid INTEGER;
UPDATE transcript SET search_rowid =
    (SELECT rowid FROM transcript_search WHERE transcript_search.transcript_id = transcript.id);
CREATE INDEX idx_transcript_search_rowid ON transcript (search_rowid, room_id, status, id);

DROP TRIGGER transcript_search_forget;
CREATE TRIGGER transcript_search_forget AFTER DELETE ON transcript BEGIN
    DELETE FROM transcript_search WHERE rowid = old.search_rowid;
END;
