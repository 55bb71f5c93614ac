-- The fleet's views by CVE and by advisory (GET /api/v1/cves, /api/v1/advisories).
--
-- Counting hosts per CVE from the report rows at query time reads every patch of every host
-- (20 million rows at 100,000 hosts of 200 patches), so the counts are kept: hosts per subject
-- (an advisory or a CVE), OS family and patch state. A report write never updates a shared count,
-- or every concurrent scan would queue on the rows of the common advisories: it appends what it
-- changed to fleet_count_changes (nothing, when a rescan finds the host as it was), and
-- FleetCounts folds the changes into fleet_host_counts every few seconds. A reader adds both in one
-- statement, so a view always counts exactly the reports committed at that moment.

-- The OS family a report counted under: a host whose OS is edited afterwards is taken out of the
-- counts of the OS it was counted under, not of its new one.
ALTER TABLE compliance_reports ADD COLUMN os_family VARCHAR(16) NULL AFTER status;
UPDATE compliance_reports r JOIN hosts h ON h.id = r.host_id SET r.os_family = h.os_family;
ALTER TABLE compliance_reports MODIFY os_family VARCHAR(16) NOT NULL;

-- An advisory's hosts in one state (MISSING, say) without reading the others; in host order, for
-- paging. ix_report_patches_advisory stays for all states in host order (InnoDB appends the
-- primary key, host_id first, to a secondary index).
ALTER TABLE report_patches ADD KEY ix_report_patches_advisory_state (advisory_id, state, host_id);

-- Every advisory a report has listed, described as the newest report that described it differently.
CREATE TABLE fleet_advisories (
  advisory_id       VARCHAR(128) NOT NULL,
  severity          VARCHAR(16)  NOT NULL,
  category          VARCHAR(16)  NOT NULL,
  issued_at         TIMESTAMP(3) NULL,
  reboot_suggested  BOOLEAN      NOT NULL,
  cves              TEXT         NOT NULL,
  PRIMARY KEY (advisory_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Which advisories fix a CVE: every pair a report has listed.
CREATE TABLE fleet_advisory_cves (
  cve_id       VARCHAR(64)  NOT NULL,
  advisory_id  VARCHAR(128) NOT NULL,
  PRIMARY KEY (cve_id, advisory_id),
  KEY ix_fleet_advisory_cves_advisory (advisory_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- subject_kind A: hosts whose report lists the advisory in that state. C: hosts whose report lists
-- the CVE, counted once each, in the least compliant state among the patches that list it.
-- P: hosts whose report lists the advisory, naming the CVE, in that state; subject_id is the
-- advisory id, a space and the CVE id (up to 128 + 1 + 28 characters). One CVE's page of host
-- patches takes its total from these: counting the rows instead reads every patch row of the
-- CVE's advisories for its cves (95,000 row lookups for a CVE on most of 100,000 hosts).
CREATE TABLE fleet_host_counts (
  subject_kind  CHAR(1)      NOT NULL,
  subject_id    VARCHAR(160) NOT NULL,
  os_family     VARCHAR(16)  NOT NULL,
  state         VARCHAR(32)  NOT NULL,
  hosts         INT          NOT NULL,
  PRIMARY KEY (subject_kind, subject_id, os_family, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE fleet_count_changes (
  id            BIGINT       NOT NULL AUTO_INCREMENT,
  subject_kind  CHAR(1)      NOT NULL,
  subject_id    VARCHAR(160) NOT NULL,
  os_family     VARCHAR(16)  NOT NULL,
  state         VARCHAR(32)  NOT NULL,
  delta         INT          NOT NULL,
  PRIMARY KEY (id),
  KEY ix_fleet_count_changes_subject (subject_kind, subject_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Row 1: every report write holds it shared, a rebuild exclusively, so a rebuild never counts a
-- report half-written. rebuild_needed: the counts do not match the reports (set here, for the
-- reports written before this migration; FleetCounts rebuilds them when it starts).
-- Row 2: held by the one folding the changes, so two processes never fold the same rows.
CREATE TABLE fleet_count_locks (
  id              TINYINT  NOT NULL,
  rebuild_needed  BOOLEAN  NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO fleet_count_locks (id, rebuild_needed) VALUES (1, TRUE), (2, FALSE);
