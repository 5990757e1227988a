-- per: table
-- Membership events (joins, leaves, removals) up to the as-of date, with the role rank of whoever
-- did it (0 when unknown): a few rows that the window views count, instead of each scanning the
-- whole history for them.
SELECT b.scope, b.group_id, b.message_id, b.ts, b.sender_id, b.kind, b.text_hash,
       COALESCE(r.role_rank, 0) AS actor_rank
FROM base AS b
LEFT JOIN member_roles AS r ON r.scope = b.scope AND r.sender_id = b.actor_id
WHERE b.kind IN ('join', 'leave', 'removal')
