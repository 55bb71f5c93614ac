-- The compliance summary (overall, by OS family, by tag value) is read from kept counts, as the
-- fleet views are (V18): grouping 100,000 hosts' reports and their million report_level_counts rows
-- took 2 s at every call. FleetCounts now keeps two more kinds in fleet_host_counts:
--   S  hosts per report status: subject = the group ('' for every host, 'key=value' for a tag value)
--   L  patches per state and compliance level: subject = group || '|' || level ('' for none)
-- The hosts column counts patches for kind L. A tag group is up to 64 + 1 + 128 characters, and
-- its level adds 14 more: the subject column grows to fit.
ALTER TABLE fleet_host_counts MODIFY subject_id VARCHAR(255) NOT NULL;
ALTER TABLE fleet_count_changes MODIFY subject_id VARCHAR(255) NOT NULL;
-- the first start after this migration counts the new kinds from the reports (FleetCounts.rebuild)
UPDATE fleet_count_locks SET rebuild_needed = TRUE WHERE id = 1;
