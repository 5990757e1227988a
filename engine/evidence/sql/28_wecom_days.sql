-- per: window
-- 企业微信 daily group statistics in the window: new members, messages, the latest member total,
-- and the average share of members who posted on a day.
SELECT
    CASE WHEN p.per_group THEN g.group_id ELSE '*' END AS scope,
    COUNT(*) AS wecom_days,
    SUM(g.new_member_cnt) AS wecom_new_members,
    SUM(g.msg_total) AS wecom_messages,
    AVG(CASE WHEN g.member_total > 0 THEN CAST(g.member_has_msg AS DOUBLE) / g.member_total END)
        AS wecom_active_share
FROM group_days AS g
CROSS JOIN params AS p
WHERE g.date >= p.start_date AND g.date <= p.as_of_date
  AND (p.group_id IS NULL OR g.group_id = p.group_id)
GROUP BY CASE WHEN p.per_group THEN g.group_id ELSE '*' END
