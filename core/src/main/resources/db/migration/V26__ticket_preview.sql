-- What a repair that an inspection plan started was previewed as when it started (hosts, batch
-- sizes, patches, reboots, held-back packages, warnings): JSON, null for tickets started by hand.
ALTER TABLE tickets
  ADD COLUMN preview TEXT NULL AFTER waiting_for;
