-- A follow's budget has a history: past days keep the budget that was in force on them, so a
-- re-plan or new settings never rewrite how past weeks are judged. One change a line, oldest
-- first: `2026-01-05 10`, `2026-03-02 mon=2,sat=6`; empty means the follow's one budget since
-- its start.

ALTER TABLE follows ADD COLUMN budget_history TEXT NOT NULL DEFAULT '';

-- A follow re-planned before this kept its earlier plans: each began on its start day with its
-- budget, and the plan in force took over on its own.
UPDATE follows SET budget_history = (
    SELECT group_concat(line, char(10) ORDER BY number) FROM (
        SELECT r.start_date || ' ' || r.budget AS line, r.number AS number
        FROM plan_revisions r WHERE r.follow_id = follows.id
        UNION ALL
        SELECT follows.start_date || ' ' || follows.budget, 2147483647
    )
)
WHERE EXISTS (SELECT 1 FROM plan_revisions r WHERE r.follow_id = follows.id);
