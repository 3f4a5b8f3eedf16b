-- Webhook endpoints and their deliveries (SPEC §9), and staff calendar feeds.

-- An endpoint. Its secret signs every delivery (HMAC-SHA256), so it is kept as
-- given out (`whsec_` + base64), not hashed: the daemon needs the key itself.
-- Removed endpoints are kept (removed_at) so their deliveries stay readable.
CREATE TABLE webhooks (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url             text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    secret          text NOT NULL CHECK (secret LIKE 'whsec\_%'),
    events          text[] NOT NULL CHECK (cardinality(events) > 0),
    enabled         boolean NOT NULL DEFAULT true,
    disabled_reason text,
    removed_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- One message to one endpoint: an outbox row written in the transaction of the
-- booking change (never deleted; pending -> sent | failed). Its id is the
-- webhook-id header, the same on every attempt; payload is the body as sent.
CREATE TABLE webhook_deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id      bigint NOT NULL REFERENCES webhooks (id),
    event           text NOT NULL CHECK (event IN ('booking.created', 'booking.cancelled',
                                                   'booking.rescheduled', 'ping')),
    booking_id      bigint REFERENCES bookings (id),
    payload         text NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_status     integer,                 -- the HTTP status of the last attempt, if any
    last_error      text,
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
-- Serves the sender's claim (pending and due, oldest due first).
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, id)
    WHERE status = 'pending';
-- Serves `bookingctl webhooks deliveries --webhook ID`.
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, id);

-- A calendar feed: a secret URL for one resource, or for all (resource_id NULL).
-- Only the SHA-256 of its token is kept; revoked feeds are kept (revoked_at).
CREATE TABLE feeds (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    resource_id bigint REFERENCES resources (id),
    token_hash  bytea NOT NULL CHECK (length(token_hash) = 32),
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- Serves GET /feeds/{token}.ics (lookup by the token's hash).
CREATE UNIQUE INDEX feeds_token_idx ON feeds (token_hash);
