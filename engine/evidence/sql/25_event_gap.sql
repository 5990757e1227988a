-- per: as_of
-- Days from the last organised event on or before the as-of date (dates from the plan) to it.
SELECT DATE_DIFF('day', MAX(e.day), MAX(p.as_of_date)) AS days_since_event
FROM event_days AS e
CROSS JOIN params AS p
WHERE e.day <= p.as_of_date
