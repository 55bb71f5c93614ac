-- A ticketing system's own reference (a change number), to find its Patchloop tickets by.
ALTER TABLE tickets
  ADD COLUMN external_ref VARCHAR(64) NULL AFTER plan_id,
  ADD KEY ix_tickets_external_ref (external_ref, created_at);

-- Idempotency-Key of POST /api/v1/tickets: one row per key, the body it came with, the ticket it made.
CREATE TABLE ticket_idempotency_keys (
  idempotency_key  VARCHAR(128) NOT NULL,
  body_sha256      CHAR(64)     NOT NULL,
  ticket_id        VARCHAR(64)  NOT NULL,
  created_at       TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (idempotency_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The one signed POST a ticket makes when it ends, and what became of it. secret: encrypted.
CREATE TABLE ticket_callbacks (
  ticket_id     VARCHAR(64)   NOT NULL,
  url           VARCHAR(2000) NOT NULL,
  secret        TEXT          NULL,
  status        VARCHAR(16)   NOT NULL,
  attempts      INT           NOT NULL DEFAULT 0,
  last_error    TEXT          NULL,
  finished_at   TIMESTAMP(3)  NULL,
  PRIMARY KEY (ticket_id),
  CONSTRAINT fk_ticket_callbacks_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
