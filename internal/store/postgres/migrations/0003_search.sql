-- Search reads many rows' tsvectors (to check the newest rows for a match,
-- to rank matches) but the text of only the page it shows, so keep the
-- tsvector in the row (compressed if that helps) and let TOAST take the text
-- first. Left EXTENDED, a tsvector of a few KB went to TOAST and every row
-- checked cost a TOAST index probe and two chunk reads. Rows written before
-- this migration keep their layout until rewritten (VACUUM FULL articles).
ALTER TABLE articles ALTER COLUMN search SET STORAGE MAIN;

-- Search ANDs the GIN matches of a rare word with a range of the newest
-- ids. From the primary key that range costs a bitmap entry per row (tens
-- of ms for a few hundred thousand rows); ids grow with the table, so a
-- BRIN index gives it per block range almost for free.
CREATE INDEX articles_id_brin ON articles USING brin (id) WITH (autosummarize = on);
