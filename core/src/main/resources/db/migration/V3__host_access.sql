-- Host keys Patchloop has accepted, per address and port (its own known_hosts, shared by all workers).
CREATE TABLE known_host_keys (
  address      VARCHAR(255)  NOT NULL,
  port         INT           NOT NULL,
  key_type     VARCHAR(64)   NOT NULL,
  fingerprint  VARCHAR(128)  NOT NULL,
  public_key   TEXT          NOT NULL,
  first_seen   TIMESTAMP(3)  NOT NULL,
  PRIMARY KEY (address, port)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The newest failure to scan a host, readable by people; a failed scan never replaces the last good report.
ALTER TABLE hosts
  ADD COLUMN last_error_kind     VARCHAR(32)  NULL,
  ADD COLUMN last_error_message  TEXT         NULL,
  ADD COLUMN last_error_at       TIMESTAMP(3) NULL;
