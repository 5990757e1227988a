-- per: window
-- People who posted in the window, the average number of distinct speakers per local day (days
-- without anyone count as zero), and the share of present members (see members) who said nothing
-- in the window.
WITH speaker_days AS (
    SELECT DISTINCT r.scope, CAST(r.ts + INTERVAL (p.tz_offset_s) SECOND AS DATE) AS local_day, r.sender_id
    FROM recent AS r
    CROSS JOIN params AS p
    WHERE r.ts >= p.start_ts AND r.sender_id IS NOT NULL
), spoke_who AS (
    SELECT scope, sender_id, COUNT(*) AS days
    FROM speaker_days
    GROUP BY scope, sender_id
), spoke AS (
    SELECT scope, COUNT(*) AS speakers, SUM(days) AS speaker_days
    FROM spoke_who
    GROUP BY scope
), present AS (
    SELECT ms.scope,
           COUNT(*) AS members_present,
           SUM(CASE WHEN w.sender_id IS NULL THEN 1 ELSE 0 END) AS silent
    FROM membership AS ms
    LEFT JOIN spoke_who AS w ON w.scope = ms.scope AND w.sender_id = ms.sender_id
    WHERE ms.exit_ts IS NULL OR ms.join_ts > ms.exit_ts
    GROUP BY ms.scope
)
SELECT
    pr.scope,
    COALESCE(s.speakers, 0) AS speakers,
    CAST(COALESCE(s.speaker_days, 0) AS DOUBLE) / p.window_days AS speakers_per_day,
    CAST(pr.silent AS DOUBLE) / pr.members_present AS silent_share
FROM present AS pr
CROSS JOIN params AS p
LEFT JOIN spoke AS s ON s.scope = pr.scope
