-- per: window
-- The owner's and the admins' shares of the messages in the window. has_roles is 0 when no one in
-- the scope has a known role: then the shares say nothing and the Python side reports None.
SELECT
    b.scope,
    MAX(CASE WHEN r.role_rank IS NOT NULL THEN 1 ELSE 0 END) AS has_roles,
    CASE WHEN SUM(CASE WHEN b.in_window = 1 AND b.is_msg = 1 THEN 1 ELSE 0 END) > 0
         THEN CAST(SUM(CASE WHEN b.in_window = 1 AND b.is_msg = 1 AND r.role_rank = 3 THEN 1 ELSE 0 END) AS DOUBLE)
              / SUM(CASE WHEN b.in_window = 1 AND b.is_msg = 1 THEN 1 ELSE 0 END) END AS owner_share,
    CASE WHEN SUM(CASE WHEN b.in_window = 1 AND b.is_msg = 1 THEN 1 ELSE 0 END) > 0
         THEN CAST(SUM(CASE WHEN b.in_window = 1 AND b.is_msg = 1 AND r.role_rank = 2 THEN 1 ELSE 0 END) AS DOUBLE)
              / SUM(CASE WHEN b.in_window = 1 AND b.is_msg = 1 THEN 1 ELSE 0 END) END AS admin_share
FROM base AS b
LEFT JOIN member_roles AS r ON r.scope = b.scope AND r.sender_id = b.sender_id
GROUP BY b.scope
