-- Indexes for a calendar with years of history (issue 16; found by the plan
-- test, tests/integration/test_plans.cpp, on about 200,000 bookings, and
-- measured on bench/seed-large's 1,000,000).
--
-- Free times are always asked about a moment onwards, and the history before
-- it is the bulk of both tables. The exclusion constraints' GiST indexes serve
-- only range (&&) conditions; the queries below compare the columns, so
-- without these PostgreSQL read every slot, and every confirmed booking that
-- started before the day asked for, each time a day is computed.

-- Slots still open at a time: bookings_plan (POST /v1/bookings: the slots
-- holding the asked start, `sl.ends_at >= start + duration`),
-- availability_load_day (a day's slots, `s.ends_at > day start`) and
-- slots_list with a time range (`sl.ends_at > from`). With it they read the
-- slots from that moment to the horizon, not the years before it.
CREATE INDEX slots_end_idx ON slots (ends_at);

-- Confirmed bookings still holding their resource at a time:
-- availability_load_day (`b.blocked_until > day start AND b.starts_at < day
-- end + duration`). bookings_start_idx serves only the second bound, which
-- every booking of the history meets: at 1,000,000 bookings PostgreSQL read
-- the whole table for each day (a parallel sequential scan, 220 ms). The first
-- column leaves only the bookings from that day on; the second is checked in
-- the index, so only the day's bookings are read from the table (1.3 ms).
CREATE INDEX bookings_blocked_idx ON bookings (blocked_until, starts_at) WHERE status = 'confirmed';
