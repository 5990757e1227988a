-- per: window
-- The most messages one person sent within one minute, in the window.
WITH per_minute AS (
    SELECT scope, sender_id, CAST(FLOOR(epoch_s / 60) AS BIGINT) AS minute_no, COUNT(*) AS n
    FROM base
    WHERE in_window = 1 AND is_msg = 1 AND sender_id IS NOT NULL
    GROUP BY scope, sender_id, CAST(FLOOR(epoch_s / 60) AS BIGINT)
), all_scopes AS (
    SELECT DISTINCT scope FROM base
)
SELECT s.scope, COALESCE(MAX(pm.n), 0) AS peak_per_minute
FROM all_scopes AS s
LEFT JOIN per_minute AS pm ON pm.scope = s.scope
GROUP BY s.scope
