-- per: setup
-- Each sender's messages in the window being computed (params.start_ts on), with the links and
-- cards among them: what the views of shares per person (links, staff shares, absence) count from.
SELECT r.scope, r.sender_id, COUNT(*) AS n,
       SUM(CASE WHEN r.kind = 'link' OR r.has_link THEN 1 ELSE 0 END) AS links
FROM recent AS r
CROSS JOIN params AS p
WHERE r.ts >= p.start_ts
GROUP BY r.scope, r.sender_id
