-- per: window
-- Links and cards (kind 'link', or a text with a link) posted by members who are not staff (role
-- rank below 1: members and people of unknown role), and their share of all messages.
WITH w AS (
    SELECT ps.scope, SUM(ps.n) AS n,
           SUM(CASE WHEN COALESCE(m.role_rank, 0) < 1 THEN ps.links ELSE 0 END) AS links
    FROM window_senders AS ps
    LEFT JOIN member_roles AS m ON m.scope = ps.scope AND m.sender_id = ps.sender_id
    GROUP BY ps.scope
)
SELECT
    s.scope,
    COALESCE(w.links, 0) AS link_messages,
    CASE WHEN COALESCE(w.n, 0) > 0 THEN CAST(w.links AS DOUBLE) / w.n END AS link_share
FROM scopes AS s
LEFT JOIN w ON w.scope = s.scope
