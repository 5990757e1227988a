-- per: as_of
-- Retention by join-month cohort: members grouped by the local month they joined (first join
-- event, else first seen); for each later month up to the as-of date, how many of them wrote.
-- Months are numbered year * 12 + month - 1.
WITH joined AS (
    SELECT ms.scope, ms.sender_id,
           EXTRACT(YEAR FROM COALESCE(ms.first_join_ts, ms.first_ts) + INTERVAL (p.tz_offset_s) SECOND) * 12
           + EXTRACT(MONTH FROM COALESCE(ms.first_join_ts, ms.first_ts) + INTERVAL (p.tz_offset_s) SECOND) - 1
               AS cohort
    FROM membership AS ms
    CROSS JOIN params AS p
), active AS (
    SELECT DISTINCT scope, sender_id,
           EXTRACT(YEAR FROM local_ts) * 12 + EXTRACT(MONTH FROM local_ts) - 1 AS month_no
    FROM base
    WHERE is_msg = 1 AND sender_id IS NOT NULL
), sizes AS (
    SELECT scope, cohort, COUNT(*) AS cohort_size FROM joined GROUP BY scope, cohort
)
SELECT j.scope, j.cohort, s.cohort_size, a.month_no - j.cohort AS month_offset,
       COUNT(*) AS active
FROM joined AS j
JOIN active AS a ON a.scope = j.scope AND a.sender_id = j.sender_id AND a.month_no >= j.cohort
JOIN sizes AS s ON s.scope = j.scope AND s.cohort = j.cohort
GROUP BY j.scope, j.cohort, s.cohort_size, a.month_no - j.cohort
