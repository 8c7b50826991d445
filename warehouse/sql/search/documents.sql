-- The rows the search index holds: what BM25 ranks (title, text) and what the filters and results use.
select
    a.article_id,
    a.title,
    a.text,
    a.language,
    s.name as outlet,
    s.domain as outlet_domain,
    a.published_at,
    cast(timezone('UTC', a.published_at) as date) as published_date,
    a.url
from articles as a
left join sources as s on s.source_id = a.source_id;
