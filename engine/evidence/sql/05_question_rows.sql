-- per: table
-- Every question in the window_rows table and the seconds to its answer: the next message in its group
-- by someone else, i.e. the start of the next run of messages by one sender (answer_s NULL when no
-- run follows). Windows share their end and what answers a question comes after it, so this is
-- the same in every window; the answers view takes its window's questions from here. Only run
-- starts and questions are sorted, with few columns, not every message with all of its columns.
WITH marks AS (
    SELECT group_id, ts, message_id, 0 AS is_start, sender_id, kind, text_hash
    FROM window_rows
    WHERE is_question
    UNION ALL
    SELECT group_id, ts, message_id, 1 AS is_start, NULL, NULL, NULL
    FROM window_rows
    WHERE sender_id IS DISTINCT FROM prev_sender
), following AS (
    -- walked from the end: the least start time after a question is the next start's (times only
    -- grow); a run start sorts before a question at the same place, so a question opening a run
    -- is answered by the run after it
    SELECT marks.*,
           MIN(CASE WHEN is_start = 1 THEN ts END)
               OVER (PARTITION BY group_id ORDER BY ts DESC, message_id DESC, is_start ASC
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS next_start
    FROM marks
)
SELECT group_id, message_id, ts, sender_id, kind, text_hash, EPOCH(next_start) - EPOCH(ts) AS answer_s
FROM following
WHERE is_start = 0
