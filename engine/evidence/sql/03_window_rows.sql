-- per: table
-- The messages of the widest window (span_ts to the end) and reach_s seconds before it, read once
-- per run and sorted once per group: every window view reads its own window out of this table
-- instead of scanning and sorting the whole history again. Each row carries the message before it
-- in its group (prev_sender, prev_ts; NULL when that one lies before the table, which starts
-- reach_s, at least gap_s, before the widest window) and its place in that order (seq_no). Few columns: the sort is the cost (it spills
-- past the store's small memory limit), so the views work out local times from ts and join the
-- roles after counting per sender. No scope: the table serves the community and each group alike
-- (the recent view adds it), so ranking the groups does not sort the messages again.
SELECT b.group_id, b.message_id, b.ts, b.sender_id, b.kind, b.text_len, b.reply_to, b.has_link,
       b.mentions_all, b.is_question, b.text_hash,
       LAG(b.sender_id) OVER (PARTITION BY b.group_id ORDER BY b.ts, b.message_id) AS prev_sender,
       LAG(b.ts) OVER (PARTITION BY b.group_id ORDER BY b.ts, b.message_id) AS prev_ts,
       ROW_NUMBER() OVER (PARTITION BY b.group_id ORDER BY b.ts, b.message_id) AS seq_no
FROM base AS b
CROSS JOIN params AS p
WHERE b.is_msg = 1 AND b.ts >= p.span_ts - INTERVAL (p.reach_s) SECOND
