-- Patchloop schema, MySQL 8 / MariaDB 10.6+ dialect. Times are UTC, stored as TIMESTAMP(3).

-- SSH private keys stored encrypted at rest (AES-256-GCM with the platform's master key).
CREATE TABLE credentials (
  id                 BIGINT       NOT NULL AUTO_INCREMENT,
  name               VARCHAR(64)  NOT NULL,
  description        VARCHAR(255) NULL,
  key_ciphertext     BLOB         NOT NULL,
  passphrase_ciphertext BLOB      NULL,
  key_type           VARCHAR(32)  NOT NULL,
  created_at         TIMESTAMP(3) NOT NULL,
  updated_at         TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_credentials_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE hosts (
  id             BIGINT        NOT NULL AUTO_INCREMENT,
  name           VARCHAR(128)  NOT NULL,
  address        VARCHAR(255)  NOT NULL,
  port           INT           NOT NULL,
  username       VARCHAR(32)   NOT NULL,
  -- exactly one of key_path / credential_id is set (checked by the application and by ck_hosts_credential)
  key_path       VARCHAR(1024) NULL,
  credential_id  BIGINT        NULL,
  os_family      VARCHAR(16)   NOT NULL,
  scenario       VARCHAR(8)    NOT NULL,
  created_at     TIMESTAMP(3)  NOT NULL,
  updated_at     TIMESTAMP(3)  NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_hosts_name (name),
  KEY ix_hosts_os_family (os_family),
  KEY ix_hosts_scenario (scenario),
  CONSTRAINT fk_hosts_credential FOREIGN KEY (credential_id) REFERENCES credentials (id),
  CONSTRAINT ck_hosts_credential CHECK ((key_path IS NULL) <> (credential_id IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE host_tags (
  host_id    BIGINT       NOT NULL,
  tag_key    VARCHAR(64)  NOT NULL,
  tag_value  VARCHAR(128) NOT NULL,
  PRIMARY KEY (host_id, tag_key),
  KEY ix_host_tags_key_value (tag_key, tag_value),
  CONSTRAINT fk_host_tags_host FOREIGN KEY (host_id) REFERENCES hosts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE baselines (
  id                                 BIGINT       NOT NULL AUTO_INCREMENT,
  name                               VARCHAR(128) NOT NULL,
  description                        VARCHAR(1024) NULL,
  scenario                           VARCHAR(8)   NOT NULL,
  os                                 VARCHAR(16)  NOT NULL,
  approved_patches_compliance_level  VARCHAR(16)  NOT NULL,
  rejected_patches_action            VARCHAR(24)  NOT NULL,
  default_for_os                     BOOLEAN      NOT NULL,
  built_in                           BOOLEAN      NOT NULL,
  -- NULL unless this is its OS's default: the unique key then allows one default per OS
  default_os VARCHAR(16) AS (CASE WHEN default_for_os THEN os ELSE NULL END) STORED,
  created_at                         TIMESTAMP(3) NOT NULL,
  updated_at                         TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_baselines_name (name),
  UNIQUE KEY uk_baselines_default_os (default_os),
  KEY ix_baselines_os (os)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Filters are JSON arrays of strings; ["ALL"] means no filter.
CREATE TABLE baseline_rules (
  baseline_id         BIGINT      NOT NULL,
  position            INT         NOT NULL,
  products            TEXT        NOT NULL,
  categories          TEXT        NOT NULL,
  severities          TEXT        NOT NULL,
  approve_after_days  INT         NULL,
  approve_until_date  DATE        NULL,
  compliance_level    VARCHAR(16) NOT NULL,
  PRIMARY KEY (baseline_id, position),
  CONSTRAINT fk_baseline_rules_baseline FOREIGN KEY (baseline_id) REFERENCES baselines (id) ON DELETE CASCADE,
  CONSTRAINT ck_baseline_rules_approval CHECK ((approve_after_days IS NULL) <> (approve_until_date IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Approved and rejected patches: advisory ids, or (rejected only) package-name globs.
CREATE TABLE baseline_patches (
  baseline_id  BIGINT       NOT NULL,
  list_kind    VARCHAR(8)   NOT NULL,
  pattern      VARCHAR(128) NOT NULL,
  PRIMARY KEY (baseline_id, list_kind, pattern),
  CONSTRAINT fk_baseline_patches_baseline FOREIGN KEY (baseline_id) REFERENCES baselines (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A ticket is one scan or repair; its id is also its Temporal workflow id.
CREATE TABLE tickets (
  id            VARCHAR(64)  NOT NULL,
  operation     VARCHAR(8)   NOT NULL,
  status        VARCHAR(16)  NOT NULL,
  baseline_id   BIGINT       NULL,
  parameters    TEXT         NOT NULL,
  host_count    INT          NOT NULL,
  succeeded     INT          NOT NULL DEFAULT 0,
  failed        INT          NOT NULL DEFAULT 0,
  not_run       INT          NOT NULL DEFAULT 0,
  created_at    TIMESTAMP(3) NOT NULL,
  started_at    TIMESTAMP(3) NULL,
  finished_at   TIMESTAMP(3) NULL,
  PRIMARY KEY (id),
  KEY ix_tickets_created (created_at),
  KEY ix_tickets_status_created (status, created_at),
  KEY ix_tickets_operation_created (operation, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each host's outcome in a ticket: the ticket's own history, kept after newer reports replace the host's report.
CREATE TABLE ticket_hosts (
  ticket_id      VARCHAR(64)  NOT NULL,
  host_id        BIGINT       NOT NULL,
  batch_no       INT          NOT NULL,
  state          VARCHAR(16)  NOT NULL,
  error_kind     VARCHAR(32)  NULL,
  error_message  TEXT         NULL,
  started_at     TIMESTAMP(3) NULL,
  finished_at    TIMESTAMP(3) NULL,
  PRIMARY KEY (ticket_id, host_id),
  KEY ix_ticket_hosts_host (host_id, ticket_id),
  CONSTRAINT fk_ticket_hosts_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The newest scan or repair result of each host; replaced whole, in one transaction, with its patches.
CREATE TABLE compliance_reports (
  host_id                   BIGINT       NOT NULL,
  baseline_id               BIGINT       NOT NULL,
  ticket_id                 VARCHAR(64)  NULL,
  operation                 VARCHAR(8)   NOT NULL,
  scanned_at                TIMESTAMP(3) NOT NULL,
  status                    VARCHAR(16)  NOT NULL,
  os_release                VARCHAR(128) NULL,
  running_kernel            VARCHAR(128) NULL,
  installed_count           INT          NOT NULL,
  installed_other_count     INT          NOT NULL,
  pending_reboot_count      INT          NOT NULL,
  installed_rejected_count  INT          NOT NULL,
  missing_count             INT          NOT NULL,
  failed_count              INT          NOT NULL,
  PRIMARY KEY (host_id),
  KEY ix_reports_status (status),
  KEY ix_reports_baseline_status (baseline_id, status),
  CONSTRAINT fk_reports_host FOREIGN KEY (host_id) REFERENCES hosts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The state of each applicable advisory in a host's newest report.
CREATE TABLE report_patches (
  host_id           BIGINT       NOT NULL,
  advisory_id       VARCHAR(128) NOT NULL,
  state             VARCHAR(32)  NOT NULL,
  compliance_level  VARCHAR(16)  NULL,
  severity          VARCHAR(16)  NOT NULL,
  category          VARCHAR(16)  NOT NULL,
  issued_at         TIMESTAMP(3) NULL,
  reboot_suggested  BOOLEAN      NOT NULL,
  cves              TEXT         NOT NULL,
  packages          TEXT         NOT NULL,
  failure_message   TEXT         NULL,
  PRIMARY KEY (host_id, advisory_id),
  KEY ix_report_patches_state_level (state, compliance_level),
  KEY ix_report_patches_advisory (advisory_id),
  CONSTRAINT fk_report_patches_report FOREIGN KEY (host_id) REFERENCES compliance_reports (host_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
