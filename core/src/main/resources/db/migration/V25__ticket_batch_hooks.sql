-- A repair ticket's HTTP hook around each batch: a signed POST before the batch starts and after it
-- ends, which must answer 2xx (to drain a load balancer, say). The secret is encrypted like a
-- callback's; what the last call gave is kept for the ticket's page.
CREATE TABLE ticket_batch_hooks (
  ticket_id       VARCHAR(64)   NOT NULL,
  url             VARCHAR(2000) NOT NULL,
  secret          TEXT          NOT NULL,
  calls           INT           NOT NULL DEFAULT 0,
  last_error      TEXT          NULL,
  last_called_at  TIMESTAMP(3)  NULL,
  PRIMARY KEY (ticket_id),
  CONSTRAINT fk_ticket_batch_hooks_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
