-- `bookingctl users find TEXT` (core/users: users_search) looks for TEXT inside
-- names and emails, case-insensitive (ILIKE '%TEXT%'), and `users show` of an
-- unknown user suggests the closest ones (users_closest: the similarity
-- operator %). A b-tree cannot serve a pattern with a leading wildcard; these
-- trigram indexes serve both queries, so they stay fast at 200,000 users
-- (measured: see the issue 17 note). pg_trgm comes with postgresql-contrib.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX users_name_trgm_idx ON users USING gin (name gin_trgm_ops);
CREATE INDEX users_email_trgm_idx ON users USING gin (email gin_trgm_ops);
