-- Tickets that start later, and tickets started by an inspection plan.
ALTER TABLE tickets
  ADD COLUMN start_at TIMESTAMP(3) NULL AFTER created_at,
  ADD COLUMN plan_id BIGINT NULL AFTER baseline_id,
  ADD KEY ix_tickets_plan (plan_id, created_at);

-- A report remembers the status of the one it replaced, so "newly non-compliant" can be told.
ALTER TABLE compliance_reports
  ADD COLUMN previous_status VARCHAR(16) NULL AFTER status;

-- A periodic inspection: a SCAN ticket on a cron schedule, run by one long-running workflow per plan.
CREATE TABLE inspection_plans (
  id               BIGINT       NOT NULL AUTO_INCREMENT,
  name             VARCHAR(128) NOT NULL,
  cron             VARCHAR(128) NOT NULL,
  time_zone        VARCHAR(64)  NOT NULL,
  selector         TEXT         NOT NULL,
  baseline_id      BIGINT       NULL,
  ticket_settings  TEXT         NOT NULL,
  overlap_policy   VARCHAR(8)   NOT NULL,
  paused           BOOLEAN      NOT NULL DEFAULT FALSE,
  created_at       TIMESTAMP(3) NOT NULL,
  updated_at       TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_inspection_plans_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each time a plan fired: the ticket it started, or why it did not start one.
CREATE TABLE inspection_plan_runs (
  plan_id     BIGINT       NOT NULL,
  fire_time   TIMESTAMP(3) NOT NULL,
  outcome     VARCHAR(16)  NOT NULL,
  ticket_id   VARCHAR(64)  NULL,
  reason      VARCHAR(500) NULL,
  recorded_at TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (plan_id, fire_time),
  CONSTRAINT fk_plan_runs_plan FOREIGN KEY (plan_id) REFERENCES inspection_plans (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Where messages go. settings: the channel's plain settings as JSON; secret: its secrets
-- (SMTP password, webhook URL with its key, signing secret, gateway headers) encrypted.
CREATE TABLE notification_channels (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  name        VARCHAR(128) NOT NULL,
  type        VARCHAR(16)  NOT NULL,
  settings    TEXT         NOT NULL,
  secret      TEXT         NULL,
  created_at  TIMESTAMP(3) NOT NULL,
  updated_at  TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_notification_channels_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Which events go to which channel; min_level only for HOSTS_NON_COMPLIANT.
CREATE TABLE notification_subscriptions (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  channel_id  BIGINT       NOT NULL,
  event       VARCHAR(32)  NOT NULL,
  min_level   VARCHAR(16)  NULL,
  created_at  TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_subscriptions (channel_id, event),
  CONSTRAINT fk_subscriptions_channel FOREIGN KEY (channel_id) REFERENCES notification_channels (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One message to one channel, and what became of it.
CREATE TABLE notification_deliveries (
  id           BIGINT       NOT NULL AUTO_INCREMENT,
  channel_id   BIGINT       NOT NULL,
  event        VARCHAR(32)  NOT NULL,
  subject_ref  VARCHAR(128) NOT NULL,
  title        VARCHAR(300) NOT NULL,
  body         TEXT         NOT NULL,
  payload      TEXT         NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  attempts     INT          NOT NULL DEFAULT 0,
  last_error   TEXT         NULL,
  created_at   TIMESTAMP(3) NOT NULL,
  finished_at  TIMESTAMP(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_delivery (channel_id, event, subject_ref),
  KEY ix_deliveries_created (created_at),
  CONSTRAINT fk_deliveries_channel FOREIGN KEY (channel_id) REFERENCES notification_channels (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
