-- per: as_of
-- Daily actives averaged over the 30 days ending at the as-of date, weekly (7 days) and monthly
-- (30 days) distinct speakers, and their ratio DAU/MAU.
WITH last30 AS (
    SELECT b.scope, b.sender_id, CAST(b.ts + INTERVAL (p.tz_offset_s) SECOND AS DATE) AS local_day, b.ts
    FROM recent AS b
    CROSS JOIN params AS p
    WHERE b.ts >= p.d30_ts AND b.sender_id IS NOT NULL
), per_day AS (
    SELECT scope, sender_id, local_day, MAX(ts) AS last_ts
    FROM last30
    GROUP BY scope, sender_id, local_day
), per_person AS (
    SELECT d.scope, d.sender_id, COUNT(*) AS days,
           MAX(CASE WHEN d.last_ts >= p.d7_ts THEN 1 ELSE 0 END) AS this_week
    FROM per_day AS d
    CROSS JOIN params AS p
    GROUP BY d.scope, d.sender_id
), agg AS (
    SELECT scope, SUM(days) AS speaker_days, COUNT(*) AS mau, SUM(this_week) AS wau
    FROM per_person
    GROUP BY scope
)
SELECT
    scope,
    CAST(speaker_days AS DOUBLE) / 30 AS dau,
    wau,
    mau,
    CASE WHEN mau > 0 THEN CAST(speaker_days AS DOUBLE) / 30 / mau END AS dau_mau
FROM agg
