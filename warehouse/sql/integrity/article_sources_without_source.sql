select x.article_id, x.source_id
from article_sources as x
left join sources as s using (source_id)
where s.source_id is null;
