-- per: setup
-- The question_rows table with each question's scope: what the answers view reads.
SELECT CASE WHEN p.per_group THEN q.group_id ELSE '*' END AS scope, q.*
FROM question_rows AS q
CROSS JOIN params AS p
