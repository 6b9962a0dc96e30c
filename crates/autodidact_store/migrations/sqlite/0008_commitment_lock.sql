-- The commitment's lock: the delay before a looser commitment takes effect is itself under
-- the delay (shortening it waits the delay in force), so it has a history, one change a line
-- (`2026-12-07 7`); empty means `loosen_delay_days` always.
ALTER TABLE users ADD COLUMN loosen_delay_history TEXT NOT NULL DEFAULT '';

-- Breaks declared ahead of time excuse the days they cover from the weekly commitment: each
-- date break of a follow with the day it was declared, one a line
-- (`2026-12-21..2027-01-03 2026-12-01`).
ALTER TABLE follows ADD COLUMN breaks_declared TEXT NOT NULL DEFAULT '';
