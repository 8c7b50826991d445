with children as (
    select 'entities' as child_table, article_id from entities
    union all select 'entity_mentions', article_id from entity_mentions
    union all select 'quotes', article_id from quotes
    union all select 'article_sources', article_id from article_sources
    union all select 'article_signatures', article_id from article_signatures
)
select c.child_table, c.article_id
from children as c
left join articles as a using (article_id)
where a.article_id is null;
