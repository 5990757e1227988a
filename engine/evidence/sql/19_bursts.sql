-- per: window
-- Repeated-text bursts: a text (same text_hash in one group) posted in the window by at least
-- burst_senders different people, or at least burst_repeats times within 10 minutes
-- (the 600 s span is written in the frame, as SQL frames take constants).
-- Counts the bursts (distinct texts) and the messages they hold.
WITH t AS (
    SELECT b.scope, b.group_id, b.text_hash, b.sender_id,
           COUNT(*) OVER (PARTITION BY b.scope, b.group_id, b.text_hash ORDER BY EPOCH(b.ts)
                          RANGE BETWEEN 600 PRECEDING AND CURRENT ROW) AS recent
    FROM recent AS b
    CROSS JOIN params AS p
    WHERE b.ts >= p.start_ts AND b.text_hash IS NOT NULL
), per_text AS (
    SELECT t.scope, t.group_id, t.text_hash,
           COUNT(*) AS n,
           COUNT(DISTINCT t.sender_id) AS senders,
           MAX(t.recent) AS peak
    FROM t
    GROUP BY t.scope, t.group_id, t.text_hash
), flagged AS (
    SELECT pt.scope, pt.n
    FROM per_text AS pt
    CROSS JOIN params AS p
    WHERE pt.senders >= p.burst_senders OR pt.peak >= p.burst_repeats
)
SELECT s.scope, COUNT(f.scope) AS bursts, COALESCE(SUM(f.n), 0) AS burst_messages
FROM scopes AS s
LEFT JOIN flagged AS f ON f.scope = s.scope
GROUP BY s.scope
