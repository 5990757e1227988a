-- per: window
-- Links and cards (kind 'link', or a text with a link) posted by members who are not staff (role
-- rank below 1: members and people of unknown role), and their share of all messages.
SELECT
    b.scope,
    SUM(CASE WHEN b.in_window = 1 AND b.is_msg = 1 AND (b.kind = 'link' OR b.has_link)
                  AND COALESCE(r.role_rank, 0) < 1 THEN 1 ELSE 0 END) AS link_messages,
    CASE WHEN SUM(CASE WHEN b.in_window = 1 AND b.is_msg = 1 THEN 1 ELSE 0 END) > 0
         THEN CAST(SUM(CASE WHEN b.in_window = 1 AND b.is_msg = 1 AND (b.kind = 'link' OR b.has_link)
                            AND COALESCE(r.role_rank, 0) < 1 THEN 1 ELSE 0 END) AS DOUBLE)
              / SUM(CASE WHEN b.in_window = 1 AND b.is_msg = 1 THEN 1 ELSE 0 END) END AS link_share
FROM base AS b
LEFT JOIN member_roles AS r ON r.scope = b.scope AND r.sender_id = b.sender_id
GROUP BY b.scope
