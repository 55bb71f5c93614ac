-- An Idempotency-Key belongs to the API token that sent it (review M2): the same key from two
-- tokens names two tickets, and a 409 only ever names the caller's own ticket.
--
-- Rows written before this migration do not say which token sent them (no principal was
-- recorded), so they get the owner '' ("before keys had owners"); no token may be named ''. The
-- API still answers a repeat of such a key with the same body from any token with the ticket it
-- made, as it did before, so a caller that retries across the upgrade gets its ticket and not a
-- second one; it never answers 409 from such a row, since the row may be another caller's. A new
-- use of the key by any token then makes a ticket of that token's own.
--
-- A key row whose ticket is gone was left by a start that failed before the ticket, its key and
-- its callback were written in one transaction: it made no ticket, so it is removed (a retry makes
-- the ticket afresh), and the foreign key below would refuse it. From now on a key lives and dies
-- with its ticket.
DELETE k FROM ticket_idempotency_keys k LEFT JOIN tickets t ON t.id = k.ticket_id WHERE t.id IS NULL;

ALTER TABLE ticket_idempotency_keys
  ADD COLUMN owner VARCHAR(128) NOT NULL DEFAULT '' FIRST,
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (owner, idempotency_key),
  ADD KEY ix_ticket_idempotency_keys_ticket (ticket_id),
  ADD CONSTRAINT fk_ticket_idempotency_keys_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE;

-- new rows always name their owner
ALTER TABLE ticket_idempotency_keys ALTER COLUMN owner DROP DEFAULT;
