-- per: window
-- The absence factor: the fewest people who together wrote at least half of the window's messages.
WITH ranked AS (
    SELECT scope, n,
           SUM(n) OVER (PARTITION BY scope ORDER BY n DESC, sender_id
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_me,
           SUM(n) OVER (PARTITION BY scope) AS total
    FROM window_senders
    WHERE sender_id IS NOT NULL
)
SELECT s.scope,
       COUNT(r.scope) AS absence_factor
FROM scopes AS s
LEFT JOIN ranked AS r ON r.scope = s.scope AND COALESCE(r.before_me, 0) * 2 < r.total
GROUP BY s.scope
