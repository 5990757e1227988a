-- per: table
-- Every scope with any row up to the as-of date (so a window without messages still reports its
-- zeros), when its history begins, how many leave and removal events it holds, and whether anyone
-- in it has a known role.
WITH roles AS (
    SELECT scope, MAX(CASE WHEN role_rank IS NOT NULL THEN 1 ELSE 0 END) AS has_roles
    FROM member_roles
    GROUP BY scope
), seen AS (
    SELECT scope, MIN(ts) AS history_start,
           SUM(CASE WHEN kind IN ('leave', 'removal') THEN 1 ELSE 0 END) AS exits_ever
    FROM base
    GROUP BY scope
)
SELECT s.scope, s.history_start, s.exits_ever, COALESCE(r.has_roles, 0) AS has_roles
FROM seen AS s
LEFT JOIN roles AS r ON r.scope = s.scope
