-- Why a ticket ended FAILED (its workflow failed, timed out, was terminated or is gone).
ALTER TABLE tickets ADD COLUMN end_reason VARCHAR(1000) NULL;
