-- Who changed what (review L4): one row per state-changing API call and console form, refused ones
-- included. No request body and no secret is ever stored, only what the request line and the
-- security check say. A change made in a database transaction gets its row in that same
-- transaction (status still NULL until the response is known), so a rolled-back change leaves no
-- SUCCESS row and a committed one cannot lose its row.
CREATE TABLE audit_events (
  id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  occurred_at    TIMESTAMP(3) NOT NULL,
  -- the token's configured name, the console user or OpenID Connect subject; NULL when nobody was authenticated (401)
  actor          VARCHAR(255) NULL,
  role           VARCHAR(16)  NULL,
  -- API or CONSOLE
  channel        VARCHAR(8)   NOT NULL,
  method         VARCHAR(8)   NOT NULL,
  path           VARCHAR(512) NOT NULL,
  resource       VARCHAR(64)  NOT NULL,
  target_id      VARCHAR(128) NULL,
  action         VARCHAR(32)  NOT NULL,
  -- the HTTP status; NULL only while the request that wrote the row in its transaction is still running
  status         SMALLINT     NULL,
  -- SUCCESS, DENIED (401, 403) or FAILED
  outcome        VARCHAR(8)   NOT NULL,
  request_id     VARCHAR(64)  NOT NULL,
  client_address VARCHAR(64)  NOT NULL,
  -- whether the row was written inside the change's own transaction
  in_transaction BOOLEAN      NOT NULL,
  KEY ix_audit_events_time (occurred_at, id),
  KEY ix_audit_events_actor (actor, occurred_at),
  KEY ix_audit_events_resource (resource, occurred_at)
);
