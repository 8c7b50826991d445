-- Articles matching the query terms, best BM25 score first. A title match counts TITLE_WEIGHT times a
-- text match (the headline says what the article is about). Null filters do not filter.
with scored as (
    select
        d.*,
        coalesce($title_weight * fts_main_documents.match_bm25(d.article_id, $query, fields := 'title'), 0)
            + coalesce(fts_main_documents.match_bm25(d.article_id, $query, fields := 'text'), 0) as score
    from documents as d
    where ($language is null or d.language = $language)
      and ($outlet is null or lower(d.outlet) = lower($outlet) or lower(d.outlet_domain) = lower($outlet))
      and ($since is null or d.published_date >= $since)
      and ($until is null or d.published_date <= $until)
)
select score, article_id, title, outlet, language, published_at, url, text
from scored
where score > 0
order by score desc, published_at desc nulls last, article_id
limit $limit;
