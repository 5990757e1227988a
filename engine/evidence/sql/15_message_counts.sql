-- per: window
-- Messages (not membership events, recalls or pins) in the window, and per day.
SELECT
    b.scope,
    SUM(CASE WHEN b.in_window = 1 AND b.is_msg = 1 THEN 1 ELSE 0 END) AS messages,
    CAST(SUM(CASE WHEN b.in_window = 1 AND b.is_msg = 1 THEN 1 ELSE 0 END) AS DOUBLE) / MAX(p.window_days) AS messages_per_day
FROM base AS b
CROSS JOIN params AS p
GROUP BY b.scope
