-- per: table
-- The messages of window_rows that have a text, each with the time of the same text two postings earlier
-- in its group (third_ts): three postings within 10 minutes are a repeat. Sorted once per run; in
-- a window, a posting counts when its third_ts also lies in the window, since a window's postings
-- are the last ones of the table's.
SELECT group_id, text_hash, sender_id, ts,
       LAG(ts, 2) OVER (PARTITION BY group_id, text_hash ORDER BY ts) AS third_ts
FROM window_rows
WHERE text_hash IS NOT NULL
