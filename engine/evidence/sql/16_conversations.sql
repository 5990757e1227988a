-- per: window
-- Conversations started in the window: a message opens one when its group was silent for more
-- than gap_s seconds (30 minutes) before it, or when it is the group's first message.
WITH m AS (
    SELECT scope, group_id, in_window, epoch_s,
           LAG(epoch_s) OVER (PARTITION BY scope, group_id ORDER BY epoch_s) AS prev_s
    FROM base
    WHERE is_msg = 1
)
SELECT
    m.scope,
    SUM(CASE WHEN m.in_window = 1 AND (m.prev_s IS NULL OR m.epoch_s - m.prev_s > p.gap_s)
             THEN 1 ELSE 0 END) AS conversations
FROM m
CROSS JOIN params AS p
GROUP BY m.scope
