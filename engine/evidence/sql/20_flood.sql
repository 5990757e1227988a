-- per: window
-- The most messages one person sent within one minute, in the window.
WITH per_minute AS (
    SELECT scope, sender_id, CAST(FLOOR(EPOCH(ts) / 60) AS BIGINT) AS minute_no, COUNT(*) AS n
    FROM recent
    WHERE ts >= (SELECT start_ts FROM params) AND sender_id IS NOT NULL
    GROUP BY scope, sender_id, CAST(FLOOR(EPOCH(ts) / 60) AS BIGINT)
)
SELECT s.scope, COALESCE(MAX(pm.n), 0) AS peak_per_minute
FROM scopes AS s
LEFT JOIN per_minute AS pm ON pm.scope = s.scope
GROUP BY s.scope
