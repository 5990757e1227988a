-- per: window
-- Repeated-text bursts: a text (same text_hash in one group) posted in the window by at least
-- burst_senders different people, or at least 3 times within 10 minutes (three postings in a row
-- of that text within 600 s, each in the window: the repeats table; 3 and 600 s are written in
-- the SQL, as LAG offsets and frames take constants). Counts the bursts (distinct texts) and the
-- messages they hold.
WITH per_text AS (
    SELECT t.scope, t.group_id, t.text_hash,
           COUNT(*) AS n,
           COUNT(DISTINCT t.sender_id) AS senders,
           MAX(CASE WHEN t.third_ts >= p.start_ts AND EPOCH(t.ts) - EPOCH(t.third_ts) <= 600
                    THEN 1 ELSE 0 END) AS repeated
    FROM repeats AS t
    CROSS JOIN params AS p
    WHERE t.ts >= p.start_ts
    GROUP BY t.scope, t.group_id, t.text_hash
), flagged AS (
    SELECT pt.scope, pt.n
    FROM per_text AS pt
    CROSS JOIN params AS p
    WHERE pt.senders >= p.burst_senders OR pt.repeated = 1
)
SELECT s.scope, COUNT(f.scope) AS bursts, COALESCE(SUM(f.n), 0) AS burst_messages
FROM scopes AS s
LEFT JOIN flagged AS f ON f.scope = s.scope
GROUP BY s.scope
