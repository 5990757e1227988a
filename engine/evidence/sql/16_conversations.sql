-- per: window
-- Conversations started in the window: a message opens one when its group was silent for more
-- than gap_s seconds (30 minutes) before it, or when it is the group's first message. Only rows
-- from gap_s before the window are counted over: an older predecessor would open a conversation
-- anyway. The message before each one (prev_ts) is found once per run in the recent table.
SELECT
    r.scope,
    SUM(CASE WHEN r.ts >= p.start_ts AND (r.prev_ts IS NULL OR EPOCH(r.ts) - EPOCH(r.prev_ts) > p.gap_s)
             THEN 1 ELSE 0 END) AS conversations
FROM recent AS r
CROSS JOIN params AS p
WHERE r.ts >= p.start_ts - INTERVAL (p.gap_s) SECOND
GROUP BY r.scope
