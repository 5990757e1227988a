-- per: window
-- Questions asked in the window and how they were answered (each one in the answers view); the
-- median is over answered questions, in minutes.
SELECT
    s.scope,
    COUNT(q.scope) AS questions,
    COUNT(q.answer_min) AS answered,
    MEDIAN(q.answer_min) AS median_answer_min,
    CASE WHEN COUNT(q.scope) > 0
         THEN 1.0 - CAST(COUNT(q.answer_min) AS DOUBLE) / COUNT(q.scope) END AS unanswered_share
FROM scopes AS s
LEFT JOIN answers AS q ON q.scope = s.scope
GROUP BY s.scope
