-- per: window
-- Join events in the window, and members first seen in the window (by any row).
WITH j AS (
    SELECT scope, SUM(CASE WHEN kind = 'join' THEN 1 ELSE 0 END) AS joins
    FROM base
    WHERE in_window = 1
    GROUP BY scope
), f AS (
    SELECT ms.scope, SUM(CASE WHEN ms.first_ts >= p.start_ts THEN 1 ELSE 0 END) AS first_seen
    FROM membership AS ms
    CROSS JOIN params AS p
    GROUP BY ms.scope
)
SELECT f.scope, COALESCE(j.joins, 0) AS joins, f.first_seen
FROM f
LEFT JOIN j ON j.scope = f.scope
