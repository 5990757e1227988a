-- per: series
-- The window's questions that nobody else answered within answer_within_s seconds, one row each:
-- where and when (local time) and the message id, never the text or the asker. Same answer
-- definition as the questions view (the next run of another sender), so their count is the
-- questions view's questions - answered.
WITH seq AS (
    SELECT scope, group_id, message_id, epoch_s, local_ts, is_question,
           CASE WHEN sender_id IS NOT DISTINCT FROM
                     LAG(sender_id) OVER (PARTITION BY scope, group_id ORDER BY epoch_s, message_id)
                THEN 0 ELSE 1 END AS new_run
    FROM base
    WHERE is_msg = 1 AND in_window = 1
), nxt AS (
    SELECT scope, group_id, message_id, epoch_s, local_ts, is_question,
           MIN(CASE WHEN new_run = 1 THEN epoch_s END) OVER (
               PARTITION BY scope, group_id ORDER BY epoch_s, message_id
               ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_s
    FROM seq
)
SELECT n.scope, n.group_id, n.message_id, n.local_ts
FROM nxt AS n
CROSS JOIN params AS p
WHERE n.is_question
  AND (n.next_s IS NULL OR n.next_s - n.epoch_s > p.answer_within_s)
