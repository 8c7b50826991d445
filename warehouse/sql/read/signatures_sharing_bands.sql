-- Loaded articles that share an LSH band with the batch: the only ones that can be near-duplicates.
with wanted as (select distinct unnest($band_keys) as band_key),
stored_bands as (select article_id, unnest(band_keys) as band_key from article_signatures),
matched as (select distinct article_id from stored_bands join wanted using (band_key))
select s.article_id, a.cluster_id, s.minhash
from matched
join article_signatures as s using (article_id)
join articles as a using (article_id)
order by s.article_id;
