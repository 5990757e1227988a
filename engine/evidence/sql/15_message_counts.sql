-- per: window
-- Messages (not membership events, recalls or pins) in the window, and per day; zero for a scope
-- with rows but no message in the window.
WITH w AS (
    SELECT r.scope, COUNT(*) AS n
    FROM recent AS r
    CROSS JOIN params AS p
    WHERE r.ts >= p.start_ts
    GROUP BY r.scope
)
SELECT
    s.scope,
    COALESCE(w.n, 0) AS messages,
    CAST(COALESCE(w.n, 0) AS DOUBLE) / p.window_days AS messages_per_day
FROM scopes AS s
CROSS JOIN params AS p
LEFT JOIN w ON w.scope = s.scope
