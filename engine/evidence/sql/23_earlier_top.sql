-- per: table
-- The top decile of writers in the 90 days before the last 30 (at least one person), each with
-- whether they wrote nothing in the last 30 days (silent = 1). The evaporation view counts them;
-- observe cites the silent ones' last messages as examples.
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
), recent AS (
    SELECT DISTINCT b.scope, b.sender_id
    FROM base AS b
    CROSS JOIN params AS p
    WHERE b.ts >= p.d30_ts AND b.is_msg = 1
)
SELECT t.scope, t.sender_id, CASE WHEN r.sender_id IS NULL THEN 1 ELSE 0 END AS silent
FROM ranked AS t
LEFT JOIN recent AS r ON r.scope = t.scope AND r.sender_id = t.sender_id
WHERE t.rk * 10 <= t.writers + 9
