-- A stored article this batch replaces with a newer version (another document of the same URL):
-- the old document keeps a `superseded` reject, so every document stays accounted for.
insert or replace into rejects by name
select
    stored.document_id,
    stored.origin,
    'superseded' as reason,
    'replaced by a newer version of article ' || stored.article_id as detail,
    current_timestamp as rejected_at
from articles as stored
join staged_articles as staged using (article_id)
where stored.document_id <> staged.document_id;
