-- Self-service from the inbox (SPEC §8): manage links, password reset and
-- sign-in links. A link's secret is never stored, neither plain nor hashed:
-- it is an HMAC-SHA256, under a key derived from auth.jwt_secret, of a random
-- 96-bit selector that is stored (the selector alone opens nothing). So the
-- mailer can put the secret into an email whenever it sends one, a guessed
-- secret is refused before any query, and a presented one costs one lookup
-- by its selector.

-- JWTs issued before this moment are refused (set by a password reset).
ALTER TABLE users ADD COLUMN tokens_valid_after timestamptz;

-- One manage link per booking, made in the booking's transaction; it works
-- until the booking's end.
CREATE TABLE manage_links (
    booking_id bigint PRIMARY KEY REFERENCES bookings (id),
    -- UNIQUE: its index serves the lookup of a presented manage token.
    selector   text NOT NULL UNIQUE CHECK (length(selector) = 16),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Password-reset and sign-in links: each works once, until expires_at.
CREATE TABLE auth_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id),
    purpose    text NOT NULL CHECK (purpose IN ('password_reset', 'sign_in_link')),
    -- UNIQUE: its index serves the lookup of a presented token (the confirms).
    selector   text NOT NULL UNIQUE CHECK (length(selector) = 16),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
-- Serves the count of an account's links of one purpose in the last hour (at
-- most 3 emails per address per hour) and retiring its other reset links.
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id, purpose, created_at);

-- The outbox also carries the link emails, which are about an account, not a booking.
ALTER TABLE emails ALTER COLUMN booking_id DROP NOT NULL;
ALTER TABLE emails ALTER COLUMN booking_start DROP NOT NULL;
ALTER TABLE emails ALTER COLUMN sequence DROP NOT NULL;
ALTER TABLE emails ADD COLUMN auth_token_id bigint REFERENCES auth_tokens (id);
ALTER TABLE emails DROP CONSTRAINT emails_kind_check;
ALTER TABLE emails ADD CONSTRAINT emails_kind_check
    CHECK (kind IN ('confirmation', 'reminder', 'cancellation', 'rescheduled',
                    'password_reset', 'sign_in_link'));
ALTER TABLE emails ADD CONSTRAINT emails_about_one_thing CHECK (
    CASE WHEN kind IN ('password_reset', 'sign_in_link')
         THEN booking_id IS NULL AND auth_token_id IS NOT NULL
         ELSE booking_id IS NOT NULL AND booking_start IS NOT NULL AND sequence IS NOT NULL
              AND auth_token_id IS NULL END);
