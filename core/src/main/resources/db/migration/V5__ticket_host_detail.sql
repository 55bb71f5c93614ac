-- What each host's step left: its report status when it finished, and for repairs what was done
-- ("installed 4 of 5 patches; rebooted and scanned again").
ALTER TABLE ticket_hosts
  ADD COLUMN compliance_status VARCHAR(16) NULL AFTER error_message,
  ADD COLUMN detail VARCHAR(500) NULL AFTER compliance_status;
