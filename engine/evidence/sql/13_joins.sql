-- per: window
-- Join events in the window, and members first seen in the window (by any row).
WITH j AS (
    SELECT e.scope, SUM(CASE WHEN e.kind = 'join' THEN 1 ELSE 0 END) AS joins
    FROM events AS e
    CROSS JOIN params AS p
    WHERE e.ts >= p.start_ts
    GROUP BY e.scope
), f AS (
    SELECT ms.scope, SUM(CASE WHEN ms.first_ts >= p.start_ts THEN 1 ELSE 0 END) AS first_seen
    FROM membership AS ms
    CROSS JOIN params AS p
    GROUP BY ms.scope
)
SELECT f.scope, COALESCE(j.joins, 0) AS joins, f.first_seen
FROM f
LEFT JOIN j ON j.scope = f.scope
