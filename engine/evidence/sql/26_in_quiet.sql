-- per: rows
-- Each message of the window and whether it fell inside the quiet hours (local time,
-- [quiet_start_min, quiet_end_min) minutes after midnight, wrapping past midnight when start > end);
-- quiet is NULL without quiet hours. The quiet view counts these; observe cites some as examples.
WITH m AS (
    SELECT b.scope, b.group_id, b.message_id, b.ts, b.sender_id, b.kind, b.text_hash,
           EXTRACT(HOUR FROM b.ts + INTERVAL (p.tz_offset_s) SECOND) * 60
           + EXTRACT(MINUTE FROM b.ts + INTERVAL (p.tz_offset_s) SECOND) AS minute_of_day
    FROM recent AS b
    CROSS JOIN params AS p
    WHERE b.ts >= p.start_ts
)
SELECT
    m.scope, m.group_id, m.message_id, m.ts, m.sender_id, m.kind, m.text_hash,
    CASE WHEN p.quiet_start_min IS NULL THEN NULL
         WHEN p.quiet_start_min <= p.quiet_end_min
              AND m.minute_of_day >= p.quiet_start_min AND m.minute_of_day < p.quiet_end_min THEN 1
         WHEN p.quiet_start_min > p.quiet_end_min
              AND (m.minute_of_day >= p.quiet_start_min OR m.minute_of_day < p.quiet_end_min) THEN 1
         ELSE 0 END AS quiet
FROM m
CROSS JOIN params AS p
