-- What the search index was built from: the article count and an order-independent SHA-256 over every
-- column the index holds (content_sha256 stands for the text; the outlet's name and domain come from
-- sources). Equal fingerprints mean the index is current.
select
    count(*) as articles,
    sha256(coalesce(string_agg(
        md5(cast(row(a.article_id, a.content_sha256, a.title, a.language, a.published_at, a.url, s.name, s.domain)
                 as varchar)),
        '' order by a.article_id), '')) as fingerprint
from articles as a
left join sources as s on s.source_id = a.source_id;
