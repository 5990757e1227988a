-- per: as_of
-- Evaporation: of the top decile of writers in the 90 days before the last 30 (at least one
-- person), how many wrote nothing in the last 30 days.
WITH prior AS (
    SELECT b.scope, b.sender_id, COUNT(*) AS n
    FROM base AS b
    CROSS JOIN params AS p
    WHERE b.ts >= p.prior_ts AND b.ts < p.d30_ts AND b.is_msg = 1 AND b.sender_id IS NOT NULL
    GROUP BY b.scope, b.sender_id
), ranked AS (
    SELECT scope, sender_id,
           ROW_NUMBER() OVER (PARTITION BY scope ORDER BY n DESC, sender_id) AS rk,
           COUNT(*) OVER (PARTITION BY scope) AS writers
    FROM prior
), top AS (
    SELECT scope, sender_id FROM ranked WHERE rk * 10 <= writers + 9
), recent AS (
    SELECT DISTINCT b.scope, b.sender_id
    FROM base AS b
    CROSS JOIN params AS p
    WHERE b.ts >= p.d30_ts AND b.is_msg = 1
)
SELECT t.scope,
       COUNT(*) AS top_prior,
       SUM(CASE WHEN r.sender_id IS NULL THEN 1 ELSE 0 END) AS top_silent,
       CAST(SUM(CASE WHEN r.sender_id IS NULL THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS evaporated_share
FROM top AS t
LEFT JOIN recent AS r ON r.scope = t.scope AND r.sender_id = t.sender_id
GROUP BY t.scope
