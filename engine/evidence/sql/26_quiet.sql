-- per: window
-- Messages sent inside the quiet hours (local time, [quiet_start_min, quiet_end_min) minutes after
-- midnight, wrapping past midnight when start > end) and their share; NULL without quiet hours.
WITH m AS (
    SELECT b.scope,
           EXTRACT(HOUR FROM b.local_ts) * 60 + EXTRACT(MINUTE FROM b.local_ts) AS minute_of_day
    FROM base AS b
    WHERE b.in_window = 1 AND b.is_msg = 1
)
SELECT
    m.scope,
    SUM(CASE WHEN p.quiet_start_min IS NULL THEN NULL
             WHEN p.quiet_start_min <= p.quiet_end_min
                  AND m.minute_of_day >= p.quiet_start_min AND m.minute_of_day < p.quiet_end_min THEN 1
             WHEN p.quiet_start_min > p.quiet_end_min
                  AND (m.minute_of_day >= p.quiet_start_min OR m.minute_of_day < p.quiet_end_min) THEN 1
             ELSE 0 END) AS quiet_messages,
    CAST(SUM(CASE WHEN p.quiet_start_min IS NULL THEN NULL
             WHEN p.quiet_start_min <= p.quiet_end_min
                  AND m.minute_of_day >= p.quiet_start_min AND m.minute_of_day < p.quiet_end_min THEN 1
             WHEN p.quiet_start_min > p.quiet_end_min
                  AND (m.minute_of_day >= p.quiet_start_min OR m.minute_of_day < p.quiet_end_min) THEN 1
             ELSE 0 END) AS DOUBLE) / COUNT(*) AS quiet_share
FROM m
CROSS JOIN params AS p
GROUP BY m.scope
