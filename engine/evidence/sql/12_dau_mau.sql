-- per: as_of
-- Daily actives averaged over the 30 days ending at the as-of date, weekly (7 days) and monthly
-- (30 days) distinct speakers, and their ratio DAU/MAU.
WITH recent AS (
    SELECT b.scope, b.sender_id, b.local_day, b.ts
    FROM base AS b
    CROSS JOIN params AS p
    WHERE b.ts >= p.d30_ts AND b.is_msg = 1 AND b.sender_id IS NOT NULL
), agg AS (
    SELECT r.scope,
           COUNT(DISTINCT CAST(r.local_day AS VARCHAR) || '|' || r.sender_id) AS speaker_days,
           COUNT(DISTINCT r.sender_id) AS mau,
           COUNT(DISTINCT CASE WHEN r.ts >= p.d7_ts THEN r.sender_id END) AS wau
    FROM recent AS r
    CROSS JOIN params AS p
    GROUP BY r.scope
)
SELECT
    scope,
    CAST(speaker_days AS DOUBLE) / 30 AS dau,
    wau,
    mau,
    CASE WHEN mau > 0 THEN CAST(speaker_days AS DOUBLE) / 30 / mau END AS dau_mau
FROM agg
