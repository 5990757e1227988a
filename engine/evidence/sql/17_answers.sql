-- per: rows
-- Each question asked in the window and how it was answered (the questions view counts these,
-- observe cites the unanswered ones as examples). The answer to a question is the next message in
-- its group by someone else (the start of the next run of another sender), if it comes within
-- answer_within_s seconds (24 hours); answer_min is NULL when it did not. What answers a question
-- comes after it, so it is the same in every window: the asked table finds it once per run
-- (answer_s, the seconds to the next run).
SELECT r.scope, r.group_id, r.message_id, r.ts, r.ts + INTERVAL (p.tz_offset_s) SECOND AS local_ts, r.sender_id, r.kind, r.text_hash,
       CASE WHEN r.answer_s IS NOT NULL AND r.answer_s <= p.answer_within_s
            THEN r.answer_s / 60.0 END AS answer_min
FROM asked AS r
CROSS JOIN params AS p
WHERE r.ts >= p.start_ts
