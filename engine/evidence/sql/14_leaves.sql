-- per: window
-- Leaves and removals in the window, removals by the remover's role, and churn: members who left
-- or were removed in the window over members present when it began. has_exit_data is 0 when the
-- scope's history holds no leave or removal at all (most WeChat exports): then the numbers say
-- nothing and the Python side reports None.
WITH ev AS (
    SELECT e.scope,
           e.kind,
           CASE WHEN e.ts >= p.start_ts THEN 1 ELSE 0 END AS in_window,
           e.actor_rank
    FROM events AS e
    CROSS JOIN params AS p
    WHERE e.kind IN ('leave', 'removal')
), agg AS (
    SELECT scope,
           COUNT(*) AS exits_ever,
           SUM(CASE WHEN in_window = 1 AND kind = 'leave' THEN 1 ELSE 0 END) AS leaves,
           SUM(CASE WHEN in_window = 1 AND kind = 'removal' THEN 1 ELSE 0 END) AS removals,
           SUM(CASE WHEN in_window = 1 AND kind = 'removal' AND actor_rank = 3 THEN 1 ELSE 0 END) AS removals_by_owner,
           SUM(CASE WHEN in_window = 1 AND kind = 'removal' AND actor_rank = 2 THEN 1 ELSE 0 END) AS removals_by_admin,
           SUM(CASE WHEN in_window = 1 AND kind = 'removal' AND actor_rank < 2 THEN 1 ELSE 0 END) AS removals_by_other
    FROM ev
    GROUP BY scope
), start AS (
    SELECT scope, members_at_start FROM members  -- who was there when the window began (the members view)
)
SELECT
    s.scope,
    CASE WHEN a.exits_ever > 0 THEN 1 ELSE 0 END AS has_exit_data,
    COALESCE(a.leaves, 0) AS leaves,
    COALESCE(a.removals, 0) AS removals,
    COALESCE(a.removals_by_owner, 0) AS removals_by_owner,
    COALESCE(a.removals_by_admin, 0) AS removals_by_admin,
    COALESCE(a.removals_by_other, 0) AS removals_by_other,
    CASE WHEN s.members_at_start > 0
         THEN CAST(COALESCE(a.leaves, 0) + COALESCE(a.removals, 0) AS DOUBLE) / s.members_at_start END AS churn
FROM start AS s
LEFT JOIN agg AS a ON a.scope = s.scope
