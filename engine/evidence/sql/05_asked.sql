-- per: table
-- Every question in the recent table and the seconds to its answer: the next message in its group
-- by someone else, i.e. the start of the next run of messages by one sender (answer_s NULL when no
-- run follows). Windows share their end and what answers a question comes after it, so this is
-- the same in every window; the answers view takes its window's questions from here. Only run
-- starts and questions are sorted, with few columns, not every message with all of its columns.
WITH marks AS (
    SELECT scope, group_id, ts, message_id, 0 AS is_start, sender_id, kind, text_hash
    FROM recent
    WHERE is_question
    UNION ALL
    SELECT scope, group_id, ts, message_id, 1 AS is_start, NULL, NULL, NULL
    FROM recent
    WHERE sender_id IS DISTINCT FROM prev_sender
), counted AS (
    -- runs numbered in order; a run start sorts before a question at the same place (a question
    -- opening a run is in it), so the next run is the question's run_no + 1
    SELECT marks.*,
           SUM(is_start) OVER (PARTITION BY group_id ORDER BY ts, message_id, is_start DESC
                               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run_no
    FROM marks
)
SELECT q.scope, q.group_id, q.message_id, q.ts, q.sender_id, q.kind, q.text_hash,
       EPOCH(s.ts) - EPOCH(q.ts) AS answer_s
FROM counted AS q
LEFT JOIN counted AS s
  ON s.group_id IS NOT DISTINCT FROM q.group_id AND s.is_start = 1 AND s.run_no = q.run_no + 1
WHERE q.is_start = 0
