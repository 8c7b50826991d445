select a.article_id, a.source_id
from articles as a
left join sources as s using (source_id)
where a.source_id is not null and s.source_id is null;
