-- A reminder whose booking was cancelled, moved or already begun before it
-- could be sent is never sent: the mailer marks it 'skipped' (kept, like every
-- email, with the reason in last_error).
ALTER TABLE emails DROP CONSTRAINT emails_status_check;
ALTER TABLE emails ADD CONSTRAINT emails_status_check
    CHECK (status IN ('pending', 'sent', 'failed', 'skipped'));
