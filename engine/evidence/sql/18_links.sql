-- per: window
-- Links and cards (kind 'link', or a text with a link) posted by members who are not staff (role
-- rank below 1: members and people of unknown role), and their share of all messages.
WITH w AS (
    SELECT r.scope,
           COUNT(*) AS n,
           SUM(CASE WHEN (r.kind = 'link' OR r.has_link) AND r.rank < 1 THEN 1 ELSE 0 END) AS links
    FROM recent AS r
    CROSS JOIN params AS p
    WHERE r.ts >= p.start_ts
    GROUP BY r.scope
)
SELECT
    s.scope,
    COALESCE(w.links, 0) AS link_messages,
    CASE WHEN COALESCE(w.n, 0) > 0 THEN CAST(w.links AS DOUBLE) / w.n END AS link_share
FROM scopes AS s
LEFT JOIN w ON w.scope = s.scope
