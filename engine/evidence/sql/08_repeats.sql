-- per: setup
-- The repeat_rows table with each row's scope: what the bursts view reads.
SELECT CASE WHEN p.per_group THEN t.group_id ELSE '*' END AS scope, t.*
FROM repeat_rows AS t
CROSS JOIN params AS p
