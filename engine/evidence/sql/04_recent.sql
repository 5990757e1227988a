-- per: setup
-- The window_rows table with each row's scope (the group when ranking groups, '*' otherwise): what
-- the window views read for their messages.
SELECT CASE WHEN p.per_group THEN r.group_id ELSE '*' END AS scope, r.*
FROM window_rows AS r
CROSS JOIN params AS p
