-- per: window
-- Members seen up to the end of the window, those still present (no leave or removal after
-- their last join), and those present when the window began.
SELECT
    ms.scope,
    COUNT(*) AS members_seen,
    SUM(CASE WHEN ms.exit_ts IS NULL OR ms.join_ts > ms.exit_ts THEN 1 ELSE 0 END) AS members_present,
    SUM(CASE WHEN ms.first_ts < p.start_ts
              AND (ms.exit_ts IS NULL OR ms.exit_ts >= p.start_ts OR ms.join_ts > ms.exit_ts)
             THEN 1 ELSE 0 END) AS members_at_start
FROM membership AS ms
CROSS JOIN params AS p
GROUP BY ms.scope
