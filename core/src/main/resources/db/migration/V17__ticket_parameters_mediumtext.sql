-- A ticket's parameters are the request as given (review M8). TEXT holds 64 KB, but a legal ticket
-- does not always fit: 10,000 hostIds of six digits and more, with a selector, a callback and the
-- rest, came to a 500 "Data too long". MEDIUMTEXT holds 16 MB; a ticket that passes validation
-- (at most 10,000 host ids, 32 selector tags, bounded strings) stays well under 1 MB.
ALTER TABLE tickets MODIFY COLUMN parameters MEDIUMTEXT NOT NULL;
