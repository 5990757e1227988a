-- per: series
-- The window's questions that nobody else answered within answer_within_s seconds, one row each:
-- where and when (local time) and the message id, never the text or the asker. The answers view
-- judges what answers a question (the next run of another sender), so their count is the
-- questions view's questions - answered.
SELECT scope, group_id, message_id, local_ts
FROM answers
WHERE answer_min IS NULL
