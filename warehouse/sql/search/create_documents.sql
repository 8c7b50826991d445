-- The index file's own copy of the documents (sql/search/documents.sql, registered as warehouse_documents).
create table documents as select * from warehouse_documents;
