-- Plans that scan and then repair (afterScan: REPAIR): the repair ticket that followed a run's
-- scan, or why there was none ("the scan found no non-compliant host"). The plan's repair settings
-- live in inspection_plans.ticket_settings (JSON), which needs no column.
ALTER TABLE inspection_plan_runs
  ADD COLUMN repair_ticket_id VARCHAR(64) NULL AFTER reason,
  ADD COLUMN repair_reason VARCHAR(500) NULL AFTER repair_ticket_id;
