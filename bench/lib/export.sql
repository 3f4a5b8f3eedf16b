-- The rows and columns of `bookingctl export bookings --format csv`, for psql's
-- \copy beside it (bench/export, bench/scale).
SELECT b.id, b.status,
       to_char(b.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(b.ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       extract(epoch FROM b.ends_at - b.starts_at)::int / 60, s.code, r.code, u.name, u.email, b.notes,
       to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(b.cancelled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  FROM bookings b JOIN services s ON s.id = b.service_id JOIN resources r ON r.id = b.resource_id
  JOIN users u ON u.id = b.user_id ORDER BY b.starts_at, b.id
