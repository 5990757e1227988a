-- per: table
-- The highest role each member was seen with (3 owner, 2 admin, 1 bot, 0 member, NULL unknown).
-- Staff means role_rank >= 1.
SELECT
    scope,
    sender_id,
    MAX(CASE sender_role WHEN 'owner' THEN 3 WHEN 'admin' THEN 2 WHEN 'bot' THEN 1
                         WHEN 'member' THEN 0 END) AS role_rank
FROM base
WHERE sender_id IS NOT NULL
GROUP BY scope, sender_id
