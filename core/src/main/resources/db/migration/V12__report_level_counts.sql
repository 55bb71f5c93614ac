-- Each report's patches counted by state and compliance level, written with the report: the fleet
-- summaries and the console's dashboard read these few rows per host instead of every patch row
-- (about 200 per host on a real fleet, 1,400 on a large one). '' stands for no level (patches
-- outside the baseline), since a primary key column cannot be NULL.
CREATE TABLE report_level_counts (
  host_id           BIGINT       NOT NULL,
  state             VARCHAR(32)  NOT NULL,
  compliance_level  VARCHAR(16)  NOT NULL,
  patches           INT          NOT NULL,
  PRIMARY KEY (host_id, state, compliance_level),
  CONSTRAINT fk_report_level_counts_report FOREIGN KEY (host_id) REFERENCES compliance_reports (host_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO report_level_counts (host_id, state, compliance_level, patches)
SELECT host_id, state, COALESCE(compliance_level, ''), COUNT(*)
FROM report_patches
GROUP BY host_id, state, COALESCE(compliance_level, '');
