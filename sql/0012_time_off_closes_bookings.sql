-- Time off closes its range to bookings however they race (SPEC §10).
--
-- Availability and the booking plan already leave out starts inside time off,
-- but a booking planned just before `time-off add` commits could still be
-- inserted after it, and `time-off add` would not see that booking in its
-- check of the confirmed bookings inside. Two locks and one check close it:
--   * a transaction that adds time off holds the advisory lock (12, 0)
--     exclusively from before its insert to its commit (core/time_off);
--   * every confirmed booking inserted, moved or re-confirmed takes the same
--     lock shared in this trigger (bookings never wait for each other), and
--     then looks for time off over its range with a fresh snapshot (a
--     VOLATILE function's query sees what committed while it waited).
-- Either the booking's transaction holds the shared lock first, and time off
-- waits for it to end and then finds the booking inside; or time off holds it
-- first, and the booking waits and then finds the time off. The check raises
-- SQLSTATE BK001, which core/bookings answers as "no longer free" (409).
-- The range is the exclusion constraint's [starts_at, blocked_until), as in
-- the booking plan (bookings_plan), served by time_off_range_idx.
CREATE FUNCTION bookings_check_time_off() RETURNS trigger LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(12, 0);
    IF EXISTS (SELECT 1 FROM time_off t
                WHERE (t.resource_id IS NULL OR t.resource_id = NEW.resource_id)
                  AND tstzrange(t.starts_at, t.ends_at) && tstzrange(NEW.starts_at, NEW.blocked_until)) THEN
        RAISE EXCEPTION 'booking % lies inside time off', NEW.id USING ERRCODE = 'BK001';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER bookings_inside_time_off
    AFTER INSERT OR UPDATE OF resource_id, starts_at, blocked_until, status ON bookings
    FOR EACH ROW WHEN (NEW.status = 'confirmed') EXECUTE FUNCTION bookings_check_time_off();
