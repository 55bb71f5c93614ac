-- Hook scripts that repair tickets run on each host before and after its install. Every edit is a
-- new version; a ticket copies the version it names into its workflow input when it is created, so
-- deleting or editing a hook never changes a ticket that runs.
CREATE TABLE hook_scripts (
  id               BIGINT        NOT NULL AUTO_INCREMENT,
  name             VARCHAR(64)   NOT NULL,
  version          INT           NOT NULL,
  description      VARCHAR(255)  NULL,
  script           MEDIUMTEXT    NOT NULL,
  timeout_seconds  INT           NOT NULL,
  sha256           CHAR(64)      NOT NULL, -- of the script, so a person can tell two versions apart
  created_by       VARCHAR(64)   NULL,     -- the token's name that stored this version
  created_at       TIMESTAMP(3)  NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_hook_scripts_name_version (name, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- What a ticket's hooks printed on a host, each run headed by how it ended (bounded by the workflow).
ALTER TABLE ticket_hosts
  ADD COLUMN hook_output TEXT NULL AFTER detail;
