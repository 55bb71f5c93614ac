-- Viewers see a delivery's or callback's short reason (last_error); what the remote end said (at
-- most 200 printable characters of its body or banner) is kept apart for admins (last_error_detail).
ALTER TABLE notification_deliveries ADD COLUMN last_error_detail VARCHAR(255) NULL AFTER last_error;
ALTER TABLE ticket_callbacks ADD COLUMN last_error_detail VARCHAR(255) NULL AFTER last_error;

-- Errors recorded before could quote a remote body or banner: they move to the admin-only detail.
UPDATE notification_deliveries
   SET last_error_detail = LEFT(last_error, 200), last_error = 'failed (recorded before short reasons; detail for admins)'
 WHERE last_error IS NOT NULL;
UPDATE ticket_callbacks
   SET last_error_detail = LEFT(last_error, 200), last_error = 'failed (recorded before short reasons; detail for admins)'
 WHERE last_error IS NOT NULL;
