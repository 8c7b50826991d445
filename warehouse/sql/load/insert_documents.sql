insert into documents by name
select * from staged_documents
on conflict (document_id) do nothing;
