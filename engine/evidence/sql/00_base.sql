-- per: setup
-- Every stored row up to the end of the window, with its scope (the selected group or '*' for the
-- whole community; each group when ranking groups), local time, and whether it is a message.
SELECT
    CASE WHEN p.per_group THEN m.group_id ELSE '*' END AS scope,
    m.group_id,
    m.message_id,
    m.ts,
    EPOCH(m.ts) AS epoch_s,
    m.ts + INTERVAL (p.tz_offset_s) SECOND AS local_ts,
    CAST(m.ts + INTERVAL (p.tz_offset_s) SECOND AS DATE) AS local_day,
    m.sender_id,
    m.sender_role,
    m.kind,
    m.actor_id,
    m.reply_to,
    m.mentions_all,
    m.text_len,
    m.has_link,
    m.is_question,
    m.text_hash,
    m.text,
    CASE WHEN m.kind IN ('join', 'leave', 'removal', 'recall', 'pin') THEN 0 ELSE 1 END AS is_msg,
    CASE WHEN m.ts >= p.start_ts THEN 1 ELSE 0 END AS in_window
FROM messages AS m
CROSS JOIN params AS p
WHERE m.ts < p.end_ts
  AND (p.group_id IS NULL OR m.group_id = p.group_id)
