-- per: rows
-- A few example messages behind the figures that have natural examples, the latest first (at most
-- three per scope and figure), so a finding can point at messages rather than only at a number.
-- Read with the 7-day window: in_window is the last 7 days, d30_ts starts the last 30.
-- figure names are the observed keys they stand behind.
WITH roles AS (
    SELECT scope, sender_id, role_rank FROM member_roles
), msg AS (
    SELECT b.scope, b.group_id, b.message_id, b.ts, b.sender_id, b.kind, b.text_hash,
           CASE WHEN b.ts >= p.start_ts THEN 1 ELSE 0 END AS in_window, b.has_link, b.mentions_all,
           COALESCE(r.role_rank, 0) AS rank
    FROM recent AS b
    CROSS JOIN params AS p
    LEFT JOIN roles AS r ON r.scope = b.scope AND r.sender_id = b.sender_id
    WHERE b.ts >= p.start_ts OR b.ts >= p.d30_ts  -- all that the figures below read
), quiet_last AS (
    -- the last message of each earlier top speaker who has been silent for 30 days: they wrote in
    -- the 90 days before those 30 and not since, so it is no older than prior_ts
    SELECT b.scope, b.group_id, b.message_id, b.ts, b.sender_id, b.kind, b.text_hash,
           ROW_NUMBER() OVER (PARTITION BY b.scope, b.sender_id ORDER BY b.ts DESC, b.message_id DESC) AS rn
    FROM base AS b
    CROSS JOIN params AS p
    JOIN earlier_top AS t ON t.scope = b.scope AND t.sender_id = b.sender_id AND t.silent = 1
    WHERE b.is_msg = 1 AND b.ts >= p.prior_ts
), picked AS (
    SELECT scope, 'unanswered_share_7d' AS figure, group_id, message_id, ts, sender_id, kind, text_hash
    FROM answers WHERE answer_min IS NULL
    UNION ALL
    SELECT scope, 'link_share_7d', group_id, message_id, ts, sender_id, kind, text_hash
    FROM msg WHERE in_window = 1 AND (kind = 'link' OR has_link) AND rank < 1
    UNION ALL
    SELECT scope, 'ads_by_staff_7d', group_id, message_id, ts, sender_id, kind, text_hash
    FROM msg WHERE in_window = 1 AND (kind = 'link' OR has_link) AND rank >= 2
    UNION ALL
    SELECT scope, 'at_all_7d', group_id, message_id, ts, sender_id, kind, text_hash
    FROM msg WHERE in_window = 1 AND mentions_all
    UNION ALL
    SELECT scope, 'after_hours_share_7d', group_id, message_id, ts, sender_id, kind, text_hash
    FROM in_quiet WHERE quiet = 1
    UNION ALL
    SELECT m.scope, 'owner_share_30d', m.group_id, m.message_id, m.ts, m.sender_id, m.kind, m.text_hash
    FROM msg AS m CROSS JOIN params AS p WHERE m.ts >= p.d30_ts AND m.rank = 3
    UNION ALL
    SELECT e.scope, 'removals_by_owner_30d', e.group_id, e.message_id, e.ts, e.sender_id, e.kind, e.text_hash
    FROM events AS e
    CROSS JOIN params AS p
    WHERE e.kind = 'removal' AND e.ts >= p.d30_ts AND e.actor_rank = 3
    UNION ALL
    SELECT scope, 'top_decile_quiet', group_id, message_id, ts, sender_id, kind, text_hash
    FROM quiet_last WHERE rn = 1
), ranked AS (
    SELECT scope, figure, group_id, message_id, ts, sender_id, kind, text_hash,
           ROW_NUMBER() OVER (PARTITION BY scope, figure ORDER BY ts DESC, message_id DESC) AS rk
    FROM picked
)
SELECT scope, figure, group_id, message_id, ts, sender_id, kind, text_hash, rk
FROM ranked
WHERE rk <= 3
