-- Maintenance windows: a REPAIR (or SCAN) ticket bound to one starts no host outside it. A window
-- opens at each fire time of its cron in its zone and stays open duration_minutes; it covers the
-- hosts its selector picks (a ticket bound to it may hold no other host). A ticket copies the
-- window when it is created, so editing a window never changes a running ticket.
CREATE TABLE maintenance_windows (
  id                BIGINT        NOT NULL AUTO_INCREMENT,
  name              VARCHAR(64)   NOT NULL,
  description       VARCHAR(255)  NULL,
  cron              VARCHAR(128)  NOT NULL,
  time_zone         VARCHAR(64)   NOT NULL,
  duration_minutes  INT           NOT NULL,
  on_close          VARCHAR(8)    NOT NULL, -- WAIT: wait for the next opening; END: the rest NOT_RUN
  selector          TEXT          NOT NULL, -- JSON: {"all":true} or {"tags":{...},"osFamily":...}
  created_at        TIMESTAMP(3)  NOT NULL,
  updated_at        TIMESTAMP(3)  NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_maintenance_windows_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- What a WAITING ticket waits for: "maintenance window sunday-night, opens at ...".
ALTER TABLE tickets
  ADD COLUMN waiting_for VARCHAR(255) NULL AFTER end_reason;
