-- per: table
-- Every question in the window_rows table and the seconds to its answer: the next message in its
-- group by someone else, i.e. the start of the next run of messages by one sender (answer_s NULL
-- when no run follows). Windows share their end and what answers a question comes after it, so
-- this is the same in every window; the answers view takes its window's questions from here.
-- Walked from the end of each group's order (seq_no): the least start time after a message is the
-- next start's, since times only grow.
WITH following AS (
    SELECT group_id, seq_no, is_question,
           MIN(CASE WHEN sender_id IS DISTINCT FROM prev_sender THEN ts END)
               OVER (PARTITION BY group_id ORDER BY seq_no DESC
                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS next_start
    FROM window_rows
)
SELECT w.group_id, w.message_id, w.ts, w.sender_id, w.kind, w.text_hash,
       EPOCH(f.next_start) - EPOCH(w.ts) AS answer_s
FROM following AS f
JOIN window_rows AS w ON w.group_id IS NOT DISTINCT FROM f.group_id AND w.seq_no = f.seq_no
WHERE f.is_question
