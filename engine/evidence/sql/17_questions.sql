-- per: window
-- Questions asked in the window and how they were answered. The answer to a question is the next
-- message in its group by someone else (the start of the next run of another sender), if it comes
-- within answer_within_s seconds (24 hours); the median is over answered questions, in minutes.
-- Only the window's rows are read: what answers a question comes after it.
WITH seq AS (
    SELECT scope, group_id, sender_id, epoch_s, in_window, is_question,
           ROW_NUMBER() OVER (PARTITION BY scope, group_id ORDER BY epoch_s, message_id) AS rn,
           CASE WHEN sender_id IS NOT DISTINCT FROM
                     LAG(sender_id) OVER (PARTITION BY scope, group_id ORDER BY epoch_s, message_id)
                THEN 0 ELSE 1 END AS new_run
    FROM base
    WHERE is_msg = 1 AND in_window = 1
), runs AS (
    SELECT scope, group_id, sender_id, epoch_s, in_window, is_question, new_run,
           SUM(new_run) OVER (PARTITION BY scope, group_id ORDER BY rn
                              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run_no
    FROM seq
), run_start AS (
    SELECT scope, group_id, run_no, MIN(epoch_s) AS start_s
    FROM runs
    GROUP BY scope, group_id, run_no
), next_run AS (
    SELECT scope, group_id, run_no,
           LEAD(start_s) OVER (PARTITION BY scope, group_id ORDER BY run_no) AS next_s
    FROM run_start
), q AS (
    SELECT r.scope,
           CASE WHEN n.next_s IS NOT NULL AND n.next_s - r.epoch_s <= p.answer_within_s
                THEN (n.next_s - r.epoch_s) / 60.0 END AS answer_min
    FROM runs AS r
    JOIN next_run AS n ON n.scope = r.scope AND n.group_id = r.group_id AND n.run_no = r.run_no
    CROSS JOIN params AS p
    WHERE r.in_window = 1 AND r.is_question
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
