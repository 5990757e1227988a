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
), nxt AS (
    -- the first later row that starts a run is where someone else speaks next
    SELECT scope, group_id, message_id, ts, local_ts, sender_id, kind, text_hash, epoch_s, is_question,
           MIN(CASE WHEN new_run = 1 THEN epoch_s END) OVER (
               PARTITION BY scope, group_id ORDER BY epoch_s, message_id
               ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_s
    FROM seq
)
SELECT n.scope, n.group_id, n.message_id, n.ts, n.local_ts, n.sender_id, n.kind, n.text_hash,
       CASE WHEN n.next_s IS NOT NULL AND n.next_s - n.epoch_s <= p.answer_within_s
            THEN (n.next_s - n.epoch_s) / 60.0 END AS answer_min
FROM nxt AS n
CROSS JOIN params AS p
WHERE n.is_question
