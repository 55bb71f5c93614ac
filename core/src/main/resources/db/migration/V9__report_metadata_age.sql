-- How old the advisory metadata a report was made from was, and the report's warnings
-- (STALE_METADATA when older than patchloop.scan.max-metadata-age), as a JSON array of names.
ALTER TABLE compliance_reports
  ADD COLUMN metadata_age_seconds BIGINT       NULL,
  ADD COLUMN warnings             VARCHAR(512) NULL;
