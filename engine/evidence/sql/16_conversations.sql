-- per: window
-- Conversations started in the window: a message opens one when its group was silent for more
-- than gap_s seconds (30 minutes) before it, or when it is the group's first message. Only rows
-- from gap_s before the window are read: an older predecessor would open a conversation anyway.
WITH m AS (
    SELECT b.scope, b.group_id, b.in_window, b.epoch_s,
           LAG(b.epoch_s) OVER (PARTITION BY b.scope, b.group_id ORDER BY b.epoch_s) AS prev_s
    FROM base AS b
    CROSS JOIN params AS p
    WHERE b.is_msg = 1 AND b.epoch_s >= EPOCH(p.start_ts) - p.gap_s
)
SELECT
    m.scope,
    SUM(CASE WHEN m.in_window = 1 AND (m.prev_s IS NULL OR m.epoch_s - m.prev_s > p.gap_s)
             THEN 1 ELSE 0 END) AS conversations
FROM m
CROSS JOIN params AS p
GROUP BY m.scope
