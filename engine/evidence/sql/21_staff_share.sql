-- per: window
-- The owner's and the admins' shares of the messages in the window. has_roles is 0 when no one in
-- the scope has a known role: then the shares say nothing and the Python side reports None.
WITH w AS (
    SELECT ps.scope, SUM(ps.n) AS n,
           SUM(CASE WHEN m.role_rank = 3 THEN ps.n ELSE 0 END) AS by_owner,
           SUM(CASE WHEN m.role_rank = 2 THEN ps.n ELSE 0 END) AS by_admin
    FROM window_senders AS ps
    LEFT JOIN member_roles AS m ON m.scope = ps.scope AND m.sender_id = ps.sender_id
    GROUP BY ps.scope
)
SELECT
    s.scope,
    s.has_roles,
    CASE WHEN COALESCE(w.n, 0) > 0 THEN CAST(w.by_owner AS DOUBLE) / w.n END AS owner_share,
    CASE WHEN COALESCE(w.n, 0) > 0 THEN CAST(w.by_admin AS DOUBLE) / w.n END AS admin_share
FROM scopes AS s
LEFT JOIN w ON w.scope = s.scope
