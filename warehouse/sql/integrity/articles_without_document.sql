select a.article_id, a.document_id
from articles as a
left join documents as d using (document_id)
where d.document_id is null;
