-- bookingd schema, version 1. Every rule that must hold under concurrency is a
-- constraint here: application checks only give nicer errors.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL UNIQUE CHECK (email = lower(btrim(email)) AND email LIKE '%_@_%'),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role          text NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'staff', 'admin')),
    password_hash text,                      -- NULL: cannot log in until a password is set
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE services (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code             text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    duration_minutes integer NOT NULL CHECK (duration_minutes > 0 AND duration_minutes <= 1440),
    buffer_minutes   integer NOT NULL DEFAULT 0 CHECK (buffer_minutes >= 0 AND buffer_minutes <= 1440),
    description      text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    active           boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE resources (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code       text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO resources (code, name) VALUES ('main', 'Main');

-- A window in which one resource is open. Slots of one resource never overlap.
CREATE TABLE slots (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resource_id bigint NOT NULL REFERENCES resources (id),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT slots_end_after_start CHECK (ends_at > starts_at),
    CONSTRAINT slots_no_overlap EXCLUDE USING gist
        (resource_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
);

-- A booking holds its resource from starts_at to ends_at plus the service's
-- buffer (copied at booking time into blocked_until, so a later change to the
-- service never makes two existing bookings overlap). Confirmed bookings of one
-- resource never overlap: that is the guarantee against double booking.
CREATE TABLE bookings (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          bigint NOT NULL REFERENCES users (id),
    service_id       bigint NOT NULL REFERENCES services (id),
    resource_id      bigint NOT NULL REFERENCES resources (id),
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    blocked_until    timestamptz NOT NULL,
    status           text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
    notes            text NOT NULL DEFAULT '' CHECK (length(notes) <= 1000),
    sequence         integer NOT NULL DEFAULT 0 CHECK (sequence >= 0),  -- iCalendar SEQUENCE
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    cancelled_at     timestamptz,
    CONSTRAINT bookings_end_after_start CHECK (ends_at > starts_at),
    CONSTRAINT bookings_buffer_after_end CHECK (blocked_until >= ends_at),
    CONSTRAINT bookings_cancelled_at CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist
        (resource_id WITH =, tstzrange(starts_at, blocked_until) WITH &&) WHERE (status = 'confirmed')
);
CREATE INDEX bookings_user_start_idx ON bookings (user_id, starts_at, id);
CREATE INDEX bookings_start_idx ON bookings (starts_at, id);
CREATE INDEX bookings_resource_start_idx ON bookings (resource_id, starts_at) WHERE status = 'confirmed';

-- The outbox: an email is a row written in the same transaction as the change
-- that causes it, and is never deleted.
CREATE TABLE emails (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    booking_id      bigint NOT NULL REFERENCES bookings (id),
    kind            text NOT NULL CHECK (kind IN ('confirmation', 'reminder', 'cancellation', 'rescheduled')),
    recipient       text NOT NULL,
    booking_start   timestamptz NOT NULL,    -- the start time the email speaks of
    sequence        integer NOT NULL,        -- the booking's SEQUENCE when queued
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX emails_due_idx ON emails (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX emails_booking_idx ON emails (booking_id);
-- One reminder per booking and start time, however many schedulers race.
CREATE UNIQUE INDEX emails_one_reminder_idx ON emails (booking_id, booking_start) WHERE kind = 'reminder';

-- Idempotency-Key: the first answer to a (user, key) is stored and replayed.
CREATE TABLE idempotency_keys (
    user_id       bigint NOT NULL REFERENCES users (id),
    key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash  text NOT NULL,
    status_code   integer NOT NULL,
    response_body text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);

-- Failed logins, for the lockout rule.
CREATE TABLE login_failures (
    email     text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (email, failed_at);
