-- The data set behind the receptionist commands' figures (issue 17): 200,000
-- users and 1,000,800 bookings over 100 resources, with an 08:00-18:00 slot
-- per resource and day. Load into a throwaway, migrated database:
--   bookingctl --database-url postgresql:///seed db migrate
--   psql -d seed -f bench/lib/receptionist-seed.sql
-- then time `bookingctl agenda DAY` and `bookingctl users find TEXT` against it.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO users (email, name)
SELECT 'customer' || i || '@example.com',
       (ARRAY['Ann', 'Bob', 'Carla', 'Dev', 'Eve', 'Farid', 'Gita', 'Hugo'])[1 + i % 8] || ' ' ||
       (ARRAY['Smith', 'Jones', 'Khan', 'Novak', 'Okafor', 'Larsen', 'Moreau'])[1 + i % 7] || ' ' || i
FROM generate_series(1, 200000) i;

INSERT INTO services (code, name, duration_minutes, buffer_minutes)
VALUES ('seed-consult', 'Consultation', 60, 0) ON CONFLICT DO NOTHING;
INSERT INTO resources (code, name)
SELECT 'room' || r, 'Room ' || r FROM generate_series(1, 100) r;

-- Every resource open 08:00-18:00 local on 1,112 days from 2025-01-01, booked
-- for nine of its ten hours: 100 x 1,112 x 9 = 1,000,800 bookings.
INSERT INTO slots (resource_id, starts_at, ends_at)
SELECT r.id, (date '2025-01-01' + day + time '08:00') AT TIME ZONE 'Europe/London',
       (date '2025-01-01' + day + time '18:00') AT TIME ZONE 'Europe/London'
FROM resources r, generate_series(0, 1111) day
WHERE r.code LIKE 'room%';

INSERT INTO bookings (user_id, service_id, resource_id, starts_at, ends_at, blocked_until, notes)
SELECT 1 + (hashint % 200000), s.id, r.id, t, t + interval '1 hour', t + interval '1 hour',
       CASE WHEN hashint % 5 = 0 THEN 'Prefers the window seat' ELSE '' END
FROM services s,
     resources r,
     generate_series(0, 1111) day,
     generate_series(8, 17) hour,
     LATERAL (SELECT ((date '2025-01-01' + day) + make_time(hour, 0, 0)) AT TIME ZONE 'Europe/London' AS t,
                     abs(hashtext(r.id || '-' || day || '-' || hour)) AS hashint) x
WHERE s.code = 'seed-consult' AND r.code LIKE 'room%' AND (r.id + day + hour) % 10 <> 0;
COMMIT;
ANALYZE;
