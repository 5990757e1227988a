-- per: rows
-- Each question asked in the window and how it was answered (the questions view counts these,
-- observe cites the unanswered ones as examples). The answer to a question is the next message in
-- its group by someone else (the start of the next run of another sender), if it comes within
-- answer_within_s seconds (24 hours); answer_min is NULL when it did not. Only the window's rows are
-- read: what answers a question comes after it.
WITH seq AS (
    SELECT scope, group_id, message_id, ts, local_ts, sender_id, kind, text_hash, epoch_s, is_question,
           CASE WHEN sender_id IS NOT DISTINCT FROM
                     LAG(sender_id) OVER (PARTITION BY scope, group_id ORDER BY epoch_s, message_id)
                THEN 0 ELSE 1 END AS new_run
    FROM base
    WHERE is_msg = 1 AND in_window = 1
), numbered AS (
    -- runs numbered in order: where someone else speaks next is the start of the next run (a join,
    -- not a minimum over every later row, which took most of this view's time)
    SELECT scope, group_id, message_id, ts, local_ts, sender_id, kind, text_hash, epoch_s, is_question, new_run,
           SUM(new_run) OVER (PARTITION BY scope, group_id ORDER BY epoch_s, message_id
                              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run_no
    FROM seq
), starts AS (
    SELECT scope, group_id, run_no, MIN(epoch_s) AS start_s
    FROM numbered
    WHERE new_run = 1
    GROUP BY scope, group_id, run_no
)
SELECT n.scope, n.group_id, n.message_id, n.ts, n.local_ts, n.sender_id, n.kind, n.text_hash,
       CASE WHEN s.start_s IS NOT NULL AND s.start_s - n.epoch_s <= p.answer_within_s
            THEN (s.start_s - n.epoch_s) / 60.0 END AS answer_min
FROM numbered AS n
CROSS JOIN params AS p
LEFT JOIN starts AS s
  ON s.scope IS NOT DISTINCT FROM n.scope AND s.group_id IS NOT DISTINCT FROM n.group_id AND s.run_no = n.run_no + 1
WHERE n.is_question
