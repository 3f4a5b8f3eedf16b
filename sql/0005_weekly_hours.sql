-- Weekly hours and time off (SPEC §10). The hours decide the slots that
-- `slots sync` keeps up to the horizon; time off closes times to new bookings,
-- whoever made the slot. What must hold under concurrency is a constraint here.

-- A range of wall-clock times within one day (09:00-17:00).
CREATE TYPE timerange AS RANGE (subtype = time);

-- A resource's opening hours on one day of the week, in force from a local
-- date on (until a row of the same resource and day with a later valid_from).
-- A row without hours (opens and closes NULL) says "closed that day from
-- valid_from" (bookingctl hours clear).
CREATE TABLE weekly_hours (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resource_id bigint NOT NULL REFERENCES resources (id),
    weekday     smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- 0 = Monday
    valid_from  date NOT NULL,
    opens       time,
    closes      time,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT weekly_hours_both_or_neither CHECK ((opens IS NULL) = (closes IS NULL)),
    -- Ranges lie within one day: 24:00 is not a time a day has hours until.
    CONSTRAINT weekly_hours_within_day CHECK (closes > opens AND closes < '24:00'),
    -- Two ranges of one resource, day and valid_from never overlap.
    CONSTRAINT weekly_hours_no_overlap EXCLUDE USING gist
        (resource_id WITH =, weekday WITH =, valid_from WITH =, timerange(opens, closes) WITH &&)
);
-- Serves the sync's and `hours show`'s read of a resource's hours by day.
CREATE INDEX weekly_hours_resource_idx ON weekly_hours (resource_id, weekday, valid_from);

-- Closed time: for one resource, or for all of them (resource_id NULL).
-- source_uid is NULL for time off added by hand, else the UID of the
-- iCalendar event it was imported from: one row per event occurrence and
-- target, so importing the same file again adds nothing.
CREATE TABLE time_off (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resource_id bigint REFERENCES resources (id),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    reason      text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    source_uid  text CHECK (length(source_uid) BETWEEN 1 AND 1000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT time_off_end_after_start CHECK (ends_at > starts_at)
);
-- Re-importing an event adds nothing (time-off import: ON CONFLICT DO NOTHING).
CREATE UNIQUE INDEX time_off_imported_idx ON time_off (coalesce(resource_id, 0), source_uid, starts_at)
    WHERE source_uid IS NOT NULL;
-- Serves availability, booking checks and the sync: time off overlapping a range.
CREATE INDEX time_off_range_idx ON time_off USING gist (tstzrange(starts_at, ends_at));

-- Slots made by `slots sync` from the weekly hours; the sync never touches
-- the others (slots add, slots generate, POST /v1/slots).
ALTER TABLE slots ADD COLUMN synced boolean NOT NULL DEFAULT false;

-- Announced on calendar_changes like slots and bookings (sql/0003): time off
-- changes what is free directly; weekly hours only through the sync's slots,
-- but a change to them is rare and resets every day.
CREATE FUNCTION time_off_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM announce_calendar_range(min(starts_at), max(ends_at)) FROM old_rows;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM announce_calendar_range(min(starts_at), max(ends_at)) FROM new_rows;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER time_off_inserted AFTER INSERT ON time_off
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION time_off_announce_change();
CREATE TRIGGER time_off_updated AFTER UPDATE ON time_off
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION time_off_announce_change();
CREATE TRIGGER time_off_deleted AFTER DELETE ON time_off
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION time_off_announce_change();
CREATE TRIGGER time_off_truncated AFTER TRUNCATE ON time_off
    FOR EACH STATEMENT EXECUTE FUNCTION announce_calendar_reset();
CREATE TRIGGER weekly_hours_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON weekly_hours
    FOR EACH STATEMENT EXECUTE FUNCTION announce_calendar_reset();
