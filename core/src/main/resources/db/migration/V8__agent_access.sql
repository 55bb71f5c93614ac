-- How Patchloop reaches a host: SSH from the central workers, or the Patchloop agent on the host
-- (a worker of its own on the task queue patchloop-host-<id>). The agent columns hold its last
-- report; agent_last_seen is the central clock's time of that report, not the host's.
ALTER TABLE hosts
  ADD COLUMN access            VARCHAR(8)   NOT NULL DEFAULT 'SSH',
  ADD COLUMN agent_version     VARCHAR(64)  NULL,
  ADD COLUMN agent_facts       TEXT         NULL,
  ADD COLUMN agent_started_at  TIMESTAMP(3) NULL,
  ADD COLUMN agent_last_seen   TIMESTAMP(3) NULL;

-- An SSH host still needs exactly one credential; an AGENT host needs none (at most one).
ALTER TABLE hosts DROP CONSTRAINT ck_hosts_credential;
ALTER TABLE hosts
  ADD CONSTRAINT ck_hosts_access CHECK (access IN ('SSH', 'AGENT')),
  ADD CONSTRAINT ck_hosts_credential CHECK (
    (key_path IS NULL) <> (credential_id IS NULL)
    OR (access = 'AGENT' AND key_path IS NULL AND credential_id IS NULL));
