-- A big, realistic data set written with generate_series, not requests: used
-- by bench/seed-large (and through it bench/scale) and by the plan test
-- (tests/integration/test_plans.cpp), so both measure the same shape of data.
--
-- Sizes come from settings, so that psql (PGOPTIONS="-c seed.bookings=...")
-- and libpq (SET seed.bookings = ...) can both run this file unchanged:
--   seed.bookings      bookings to write (required); about 10 % are cancelled
--   seed.users         customers (required)
--   seed.history_days  days of history before today (default 1826: 5 years)
--   seed.horizon_days  days after today with slots (default 90)
-- The database must be migrated and hold no bookings (bench/seed-large checks).
--
-- The shape: 20 resources (`main`, r02..r20) and 6 services that all fit a
-- 30-minute cell (duration + buffer <= 30 min). Every resource is open every
-- day 07:00-20:00 UTC, written as one slot a day (slots directly: the weekly
-- hours of SPEC §10 are not used here). That is 26 cells a resource a day;
-- confirmed bookings take distinct cells, spread evenly over the history and
-- the horizon, so the exclusion constraint holds by construction; every tenth
-- booking is a cancelled one in the cell of the confirmed booking before it
-- (cancelled, then taken by someone else). A few customers (users 1..5 of
-- this seed; one below 2,000 bookings) have 600 bookings each, the rest are
-- spread over all customers. Emails are what that history implies: a
-- confirmation for every booking, a cancellation for every cancelled one, and
-- a reminder (24 h before) for every confirmed booking already begun that was
-- made at least 24 h before its start; all sent.
--
-- Each part starts with a line "-- part: NAME"; bench/seed-large runs and
-- times them one by one. Parts share state only through tables.

-- part: catalog
INSERT INTO resources (code, name)
SELECT 'r' || lpad(g::text, 2, '0'), 'Room ' || g FROM generate_series(2, 20) g
ON CONFLICT (code) DO NOTHING;
UPDATE resources SET active = true
 WHERE code = 'main' OR code ~ '^r(0[2-9]|1[0-9]|20)$';
INSERT INTO services (code, name, duration_minutes, buffer_minutes, description)
VALUES ('consultation', 'Consultation', 30, 0, 'Thirty minutes with a specialist'),
       ('checkup', 'Checkup', 20, 10, ''),
       ('follow-up', 'Follow-up', 15, 15, ''),
       ('quick-call', 'Quick call', 15, 0, ''),
       ('fitting', 'Fitting', 25, 5, ''),
       ('review', 'Review', 20, 0, '')
ON CONFLICT (code) DO NOTHING;
DROP TABLE IF EXISTS seed_resources, seed_services, seed_users;
CREATE UNLOGGED TABLE seed_resources AS
SELECT (row_number() OVER (ORDER BY code) - 1)::int AS n, id FROM resources
 WHERE code = 'main' OR code ~ '^r(0[2-9]|1[0-9]|20)$';
CREATE UNLOGGED TABLE seed_services AS
SELECT (row_number() OVER (ORDER BY code) - 1)::int AS n, id, duration_minutes, buffer_minutes
  FROM services
 WHERE code IN ('consultation', 'checkup', 'follow-up', 'quick-call', 'fitting', 'review');
DO $$
BEGIN
    IF (SELECT count(*) FROM seed_resources) <> 20 OR (SELECT count(*) FROM seed_services) <> 6 THEN
        RAISE EXCEPTION 'seed: expected 20 resources and 6 services';
    END IF;
    IF EXISTS (SELECT 1 FROM seed_services WHERE duration_minutes + buffer_minutes > 30) THEN
        RAISE EXCEPTION 'seed: a service already in the database does not fit a 30-minute cell';
    END IF;
END $$;

-- part: slots
DELETE FROM slots WHERE resource_id IN (SELECT id FROM seed_resources);
INSERT INTO slots (resource_id, starts_at, ends_at, created_at)
SELECT r.id, d + interval '7 hours', d + interval '20 hours', d - interval '30 days'
  FROM seed_resources r,
       generate_series(date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                           - coalesce(current_setting('seed.history_days', true), '1826')::int * interval '1 day',
                       date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                           + coalesce(current_setting('seed.horizon_days', true), '90')::int * interval '1 day',
                       interval '1 day') d
 ORDER BY d, r.n;

-- part: customers
INSERT INTO users (email, name, created_at, updated_at)
SELECT 'customer' || g || '@seed.example', 'Customer ' || g, t, t
  FROM generate_series(1, current_setting('seed.users')::int) g,
       LATERAL (SELECT now() - (g % 1826) * interval '1 day' AS t) x
ON CONFLICT (email) DO NOTHING;
CREATE UNLOGGED TABLE seed_users AS
SELECT substr(split_part(email, '@', 1), 9)::int AS n, id, email FROM users
 WHERE email LIKE 'customer%@seed.example' AND substr(split_part(email, '@', 1), 9) ~ '^[0-9]+$'
   AND substr(split_part(email, '@', 1), 9)::int <= current_setting('seed.users')::int;
ALTER TABLE seed_users ADD PRIMARY KEY (n);

-- part: bookings
DO $$
DECLARE
    n bigint := current_setting('seed.bookings')::bigint;
    days int := coalesce(current_setting('seed.history_days', true), '1826')::int
                + coalesce(current_setting('seed.horizon_days', true), '90')::int;
BEGIN
    IF (n / 10) * 9 + least(n % 10, 9) > days::bigint * 26 * 20 THEN
        RAISE EXCEPTION 'seed: % bookings do not fit % days of 20 resources x 26 cells', n, days;
    END IF;
    IF current_setting('seed.users')::bigint < 6 THEN
        RAISE EXCEPTION 'seed: at least 6 customers';
    END IF;
END $$;
-- g = 0..N-1; pair j = g / 10: the first nine are confirmed (cell index
-- i = 9 j + g % 10), the tenth is cancelled in the cell of the ninth. Cells
-- are numbered time first ((day * 26 + k) * 20 + resource), and confirmed
-- booking i takes cell floor(i * cells / confirmed), which is one-to-one while
-- confirmed <= cells.
WITH p AS (
    SELECT n_book, n_users, days, cells, confirmed, d0,
           greatest(1, least(5, n_book / 2000)) AS heavy,
           greatest(1, n_book / (greatest(1, least(5, n_book / 2000)) * 600)) AS period
      FROM (SELECT current_setting('seed.bookings')::bigint AS n_book,
                   current_setting('seed.users')::bigint AS n_users,
                   coalesce(current_setting('seed.history_days', true), '1826')::int
                       + coalesce(current_setting('seed.horizon_days', true), '90')::int AS days,
                   date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                       - coalesce(current_setting('seed.history_days', true), '1826')::int
                         * interval '1 day' AS d0) s,
           LATERAL (SELECT s.days::bigint * 26 * 20 AS cells,
                           (s.n_book / 10) * 9 + least(s.n_book % 10, 9) AS confirmed) c
), rows AS (
    SELECT g, g % 10 = 9 AS cancelled,
           (g / 10) * 9 + least(g % 10, 8) AS i,
           CASE WHEN g % p.period = 0 AND g / p.period < p.heavy * 600
                THEN 1 + (g / p.period) % p.heavy
                ELSE 1 + p.heavy + (g * 7919) % greatest(1, p.n_users - p.heavy) END AS customer,
           p.*
      FROM p, generate_series(0, (SELECT n_book FROM p) - 1) g
), placed AS (
    SELECT rows.*, (i * cells / greatest(confirmed, 1)) AS cell FROM rows
), timed AS (
    SELECT placed.*,
           d0 + (cell / 20 / 26) * interval '1 day' + interval '7 hours'
              + ((cell / 20) % 26) * interval '30 minutes' AS t,
           (cell % 20)::int AS resource_n, (g % 6)::int AS service_n
      FROM placed
)
INSERT INTO bookings (user_id, service_id, resource_id, starts_at, ends_at, blocked_until,
                      status, notes, sequence, created_at, updated_at, cancelled_at)
SELECT u.id, s.id, r.id, t, t + s.duration_minutes * interval '1 minute',
       t + (s.duration_minutes + s.buffer_minutes) * interval '1 minute',
       CASE WHEN cancelled THEN 'cancelled' ELSE 'confirmed' END,
       CASE WHEN g % 7 = 0 THEN 'First visit, please call if late' ELSE '' END,
       CASE WHEN cancelled THEN 1 ELSE 0 END,
       c.created, CASE WHEN cancelled THEN c.created + interval '2 hours' ELSE c.created END,
       CASE WHEN cancelled THEN c.created + interval '2 hours' END
  FROM timed
  JOIN seed_users u ON u.n = timed.customer
  JOIN seed_resources r ON r.n = timed.resource_n
  JOIN seed_services s ON s.n = timed.service_n,
       LATERAL (SELECT least(now() - interval '1 hour',
                             t - (1 + g % 20) * interval '1 day'
                               - CASE WHEN cancelled THEN interval '1 day' ELSE interval '0' END)
                       AS created) c
 ORDER BY g;

-- part: emails
INSERT INTO emails (booking_id, kind, recipient, booking_start, sequence, status, attempts,
                    next_attempt_at, sent_at, created_at)
SELECT b.id, 'confirmation', u.email, b.starts_at, 0, 'sent', 1,
       b.created_at, b.created_at + interval '3 seconds', b.created_at
  FROM bookings b JOIN users u ON u.id = b.user_id
 ORDER BY b.id;
INSERT INTO emails (booking_id, kind, recipient, booking_start, sequence, status, attempts,
                    next_attempt_at, sent_at, created_at)
SELECT b.id, 'cancellation', u.email, b.starts_at, b.sequence, 'sent', 1,
       b.cancelled_at, b.cancelled_at + interval '3 seconds', b.cancelled_at
  FROM bookings b JOIN users u ON u.id = b.user_id
 WHERE b.status = 'cancelled'
 ORDER BY b.id;
INSERT INTO emails (booking_id, kind, recipient, booking_start, sequence, status, attempts,
                    next_attempt_at, sent_at, created_at)
SELECT b.id, 'reminder', u.email, b.starts_at, b.sequence, 'sent', 1,
       b.starts_at - interval '1 day', b.starts_at - interval '1 day' + interval '5 seconds',
       b.starts_at - interval '1 day'
  FROM bookings b JOIN users u ON u.id = b.user_id
 WHERE b.status = 'confirmed' AND b.starts_at <= now()
   AND b.created_at <= b.starts_at - interval '1 day'
 ORDER BY b.id;

-- part: analyze
DROP TABLE seed_resources, seed_services, seed_users;
ANALYZE;
