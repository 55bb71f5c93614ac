-- Parsed updateinfo files, one per checksum, shared by every scan of every host: a host sends a
-- repository's advisories only when no host sent that file before (issue 17).
CREATE TABLE updateinfo_files (
  checksum      VARCHAR(160)  NOT NULL,  -- <type>:<hex> of the uncompressed updateinfo.xml, computed by the platform
  advisories    INT           NOT NULL,
  package_entries BIGINT      NOT NULL,
  dropped       INT           NOT NULL,  -- advisories left out: id or package names not safe to use
  stored_bytes  INT           NOT NULL,
  chunk_count   INT           NOT NULL,
  source        VARCHAR(300)  NOT NULL,  -- the repository and host it first came from
  first_seen_at DATETIME(3)   NOT NULL,
  last_used_at  DATETIME(3)   NOT NULL,
  PRIMARY KEY (checksum),
  KEY updateinfo_files_last_used (last_used_at)
);

-- The stored form in pieces of at most 4 MiB, below any server's max_allowed_packet default
CREATE TABLE updateinfo_file_chunks (
  checksum VARCHAR(160) NOT NULL,
  seq      INT          NOT NULL,
  content  MEDIUMBLOB   NOT NULL,
  PRIMARY KEY (checksum, seq)
);
