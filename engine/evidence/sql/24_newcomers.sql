-- per: window
-- Share of the window's messages written by members who joined in the 30 days before the end.
-- Joined means a join event; without one, first seen, but only where the scope's history began
-- before those 30 days (otherwise everyone at the start of an export would look new).
WITH newcomer AS (
    SELECT ms.scope, ms.sender_id
    FROM membership AS ms
    JOIN scopes AS o ON o.scope = ms.scope
    CROSS JOIN params AS p
    WHERE (ms.join_ts IS NOT NULL AND ms.join_ts >= p.d30_ts)
       OR (ms.join_ts IS NULL AND ms.first_ts >= p.d30_ts AND o.history_start < p.d30_ts)
)
SELECT
    b.scope,
    SUM(CASE WHEN n.sender_id IS NOT NULL THEN 1 ELSE 0 END) AS newcomer_messages,
    CASE WHEN COUNT(*) > 0 THEN CAST(SUM(CASE WHEN n.sender_id IS NOT NULL THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) END
        AS newcomer_share
FROM recent AS b
CROSS JOIN params AS p
LEFT JOIN newcomer AS n ON n.scope = b.scope AND n.sender_id = b.sender_id
WHERE b.ts >= p.start_ts
GROUP BY b.scope
