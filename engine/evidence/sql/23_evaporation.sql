-- per: as_of
-- Evaporation: of the top decile of writers in the 90 days before the last 30 (the earlier_top
-- view), how many wrote nothing in the last 30 days.
SELECT scope,
       COUNT(*) AS top_prior,
       SUM(silent) AS top_silent,
       CAST(SUM(silent) AS DOUBLE) / COUNT(*) AS evaporated_share
FROM earlier_top
GROUP BY scope
