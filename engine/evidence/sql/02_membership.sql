-- per: table
-- Each member's history: first time seen (message or event), last join, last leave or removal.
SELECT
    scope,
    sender_id,
    MIN(ts) AS first_ts,
    MAX(CASE WHEN kind = 'join' THEN ts END) AS join_ts,
    MIN(CASE WHEN kind = 'join' THEN ts END) AS first_join_ts,
    MAX(CASE WHEN kind IN ('leave', 'removal') THEN ts END) AS exit_ts
FROM base
WHERE sender_id IS NOT NULL
GROUP BY scope, sender_id
