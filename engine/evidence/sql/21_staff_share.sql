-- per: window
-- The owner's and the admins' shares of the messages in the window. has_roles is 0 when no one in
-- the scope has a known role: then the shares say nothing and the Python side reports None.
WITH w AS (
    SELECT r.scope,
           COUNT(*) AS n,
           SUM(CASE WHEN r.rank = 3 THEN 1 ELSE 0 END) AS by_owner,
           SUM(CASE WHEN r.rank = 2 THEN 1 ELSE 0 END) AS by_admin
    FROM recent AS r
    CROSS JOIN params AS p
    WHERE r.ts >= p.start_ts
    GROUP BY r.scope
)
SELECT
    s.scope,
    s.has_roles,
    CASE WHEN COALESCE(w.n, 0) > 0 THEN CAST(w.by_owner AS DOUBLE) / w.n END AS owner_share,
    CASE WHEN COALESCE(w.n, 0) > 0 THEN CAST(w.by_admin AS DOUBLE) / w.n END AS admin_share
FROM scopes AS s
LEFT JOIN w ON w.scope = s.scope
