-- Documents already committed: their rows are in articles or rejects.
select document_id from documents where document_id in (select unnest($document_ids));
