-- A ticket's hosts are read in batch order (the ticket's page, its progress); the primary key
-- (ticket_id, host_id) finds them but would sort every time.
CREATE INDEX ix_ticket_hosts_batch ON ticket_hosts (ticket_id, batch_no, host_id);
