-- bookingd keeps each day's free times in memory. Every change to what decides
-- them is announced, at commit, on the channel calendar_changes, whoever makes
-- it (bookingd, bookingctl, psql): the payload is the range of time the change
-- touches, "FROM UNTIL" in epoch seconds, or "*" when it can touch any day
-- (services and resources). One notification per statement, not per row.

CREATE FUNCTION announce_calendar_range(lo timestamptz, hi timestamptz) RETURNS void
LANGUAGE sql AS $$
    SELECT pg_notify('calendar_changes',
                     floor(extract(epoch FROM lo))::bigint || ' ' || ceil(extract(epoch FROM hi))::bigint)
     WHERE lo IS NOT NULL AND hi IS NOT NULL
$$;

-- Slots: [starts_at, ends_at) of every row before and after.
CREATE FUNCTION slots_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM announce_calendar_range(min(starts_at), max(ends_at)) FROM old_rows;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM announce_calendar_range(min(starts_at), max(ends_at)) FROM new_rows;
    END IF;
    RETURN NULL;
END $$;

-- Bookings: [starts_at, blocked_until) of every row before and after.
CREATE FUNCTION bookings_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM announce_calendar_range(min(starts_at), max(blocked_until)) FROM old_rows;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM announce_calendar_range(min(starts_at), max(blocked_until)) FROM new_rows;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION announce_calendar_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('calendar_changes', '*');
    RETURN NULL;
END $$;

CREATE TRIGGER slots_inserted AFTER INSERT ON slots
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION slots_announce_change();
CREATE TRIGGER slots_updated AFTER UPDATE ON slots
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION slots_announce_change();
CREATE TRIGGER slots_deleted AFTER DELETE ON slots
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION slots_announce_change();

CREATE TRIGGER bookings_inserted AFTER INSERT ON bookings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bookings_announce_change();
CREATE TRIGGER bookings_updated AFTER UPDATE ON bookings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bookings_announce_change();
CREATE TRIGGER bookings_deleted AFTER DELETE ON bookings
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bookings_announce_change();

CREATE TRIGGER services_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services
    FOR EACH STATEMENT EXECUTE FUNCTION announce_calendar_reset();
CREATE TRIGGER resources_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON resources
    FOR EACH STATEMENT EXECUTE FUNCTION announce_calendar_reset();
CREATE TRIGGER slots_truncated AFTER TRUNCATE ON slots
    FOR EACH STATEMENT EXECUTE FUNCTION announce_calendar_reset();
CREATE TRIGGER bookings_truncated AFTER TRUNCATE ON bookings
    FOR EACH STATEMENT EXECUTE FUNCTION announce_calendar_reset();
