-- A document that now yields an article (after --reprocess) is no longer a reject.
delete from rejects where document_id in (select document_id from staged_articles);
