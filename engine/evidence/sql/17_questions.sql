-- per: window
-- Questions asked in the window and how they were answered. The answer to a question is the next
-- message in its group by someone else (the start of the next run of another sender), if it comes
-- within answer_within_s seconds (24 hours); the median is over answered questions, in minutes.
-- Only the window's rows are read: what answers a question comes after it.
WITH seq AS (
    SELECT scope, group_id, message_id, epoch_s, is_question,
           CASE WHEN sender_id IS NOT DISTINCT FROM
                     LAG(sender_id) OVER (PARTITION BY scope, group_id ORDER BY epoch_s, message_id)
                THEN 0 ELSE 1 END AS new_run
    FROM base
    WHERE is_msg = 1 AND in_window = 1
), nxt AS (
    -- the first later row that starts a run is where someone else speaks next
    SELECT scope, epoch_s, is_question,
           MIN(CASE WHEN new_run = 1 THEN epoch_s END) OVER (
               PARTITION BY scope, group_id ORDER BY epoch_s, message_id
               ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_s
    FROM seq
), q AS (
    SELECT n.scope,
           CASE WHEN n.next_s IS NOT NULL AND n.next_s - n.epoch_s <= p.answer_within_s
                THEN (n.next_s - n.epoch_s) / 60.0 END AS answer_min
    FROM nxt AS n
    CROSS JOIN params AS p
    WHERE n.is_question
), all_scopes AS (
    SELECT DISTINCT scope FROM base
)
SELECT
    s.scope,
    COUNT(q.scope) AS questions,
    COUNT(q.answer_min) AS answered,
    MEDIAN(q.answer_min) AS median_answer_min,
    CASE WHEN COUNT(q.scope) > 0
         THEN 1.0 - CAST(COUNT(q.answer_min) AS DOUBLE) / COUNT(q.scope) END AS unanswered_share
FROM all_scopes AS s
LEFT JOIN q ON q.scope = s.scope
GROUP BY s.scope
