-- per: series
-- Activity per local week (weeks start on Monday) over the whole stored history up to the as-of
-- date: messages, distinct speakers, joins and leaves (removals included). This is where several
-- exports loaded over time become one history. Weeks without any row are absent: the report
-- fills them in with zeros.
SELECT
    scope,
    CAST(DATE_TRUNC('week', local_day) AS DATE) AS week,
    SUM(is_msg) AS messages,
    COUNT(DISTINCT CASE WHEN is_msg = 1 THEN sender_id END) AS speakers,
    SUM(CASE WHEN kind = 'join' THEN 1 ELSE 0 END) AS joins,
    SUM(CASE WHEN kind IN ('leave', 'removal') THEN 1 ELSE 0 END) AS leaves
FROM base
GROUP BY scope, CAST(DATE_TRUNC('week', local_day) AS DATE)
