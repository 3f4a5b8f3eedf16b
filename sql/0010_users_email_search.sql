-- `bookingctl users find TEXT` for a TEXT with an '@' ("ann@", a whole email
-- address): an email containing it ends its local part with what comes before
-- the '@'. This b-tree over the reversed local part finds those by prefix
-- (core/users: users_search_email), where the trigram index of sql/0006 read
-- the posting lists of trigrams nearly every address shares (the domain's):
-- 100 ms for one exact address among 200,000 users, 0.1 ms with this index.
-- Emails are stored lower-case (normalize_email); text_pattern_ops serves LIKE
-- 'prefix%' whatever the database's collation.
CREATE INDEX users_email_local_reversed_idx
    ON users (reverse(split_part(email, '@', 1)) text_pattern_ops);
