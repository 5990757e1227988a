-- per: window
-- People who posted in the window, the average number of distinct speakers per local day (days
-- without anyone count as zero), and the share of present members who said nothing.
WITH spoke AS (
    SELECT scope,
           COUNT(DISTINCT sender_id) AS speakers,
           COUNT(DISTINCT CAST(local_day AS VARCHAR) || '|' || sender_id) AS speaker_days
    FROM base
    WHERE in_window = 1 AND is_msg = 1 AND sender_id IS NOT NULL
    GROUP BY scope
), present AS (
    SELECT scope,
           SUM(CASE WHEN exit_ts IS NULL OR join_ts > exit_ts THEN 1 ELSE 0 END) AS members_present
    FROM membership
    GROUP BY scope
)
SELECT
    pr.scope,
    COALESCE(s.speakers, 0) AS speakers,
    CAST(COALESCE(s.speaker_days, 0) AS DOUBLE) / p.window_days AS speakers_per_day,
    CASE WHEN pr.members_present > 0
         THEN 1.0 - CAST(COALESCE(s.speakers, 0) AS DOUBLE) / pr.members_present END AS silent_share
FROM present AS pr
CROSS JOIN params AS p
LEFT JOIN spoke AS s ON s.scope = pr.scope
