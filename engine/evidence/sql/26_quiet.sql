-- per: window
-- Messages sent inside the quiet hours (each one marked in the in_quiet view) and their share;
-- NULL without quiet hours.
SELECT
    scope,
    SUM(quiet) AS quiet_messages,
    CAST(SUM(quiet) AS DOUBLE) / COUNT(*) AS quiet_share
FROM in_quiet
GROUP BY scope
