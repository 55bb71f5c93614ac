-- Compliance over time: one row a day per baseline and group (all hosts, an OS family, a value of
-- a configured tag key), taken from the newest reports at that moment. Rows are never updated,
-- only replaced whole when the day's snapshot is taken again, and deleted by the retention.
-- The baseline's name is kept with the row, so the history of a deleted baseline still reads.
CREATE TABLE compliance_history (
  snapshot_day         DATE          NOT NULL, -- the UTC day the snapshot is of
  baseline_id          BIGINT        NOT NULL,
  baseline_name        VARCHAR(128)  NOT NULL,
  group_kind           VARCHAR(8)    NOT NULL, -- ALL, OS or TAG
  group_key            VARCHAR(64)   NOT NULL, -- the tag key for TAG, '' otherwise
  group_value          VARCHAR(128)  NOT NULL, -- the OS family or tag value ('(none)': without the tag), '' for ALL
  hosts                INT           NOT NULL,
  hosts_compliant      INT           NOT NULL,
  hosts_non_compliant  INT           NOT NULL,
  hosts_unknown        INT           NOT NULL,
  patches_by_state     TEXT          NOT NULL, -- JSON: {"INSTALLED": n, ...}, every PatchState
  patches_by_level     TEXT          NOT NULL, -- JSON: {"CRITICAL": {"INSTALLED": n, ...}, ...}
  taken_at             TIMESTAMP(3)  NOT NULL,
  -- day first: a series is a range of days; the retention deletes the oldest days
  PRIMARY KEY (snapshot_day, group_kind, group_key, baseline_id, group_value),
  KEY ix_compliance_history_baseline_day (baseline_id, snapshot_day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
