-- Near-duplicate articles share a cluster_id: the article_id of the cluster's first loaded member
-- (see transforms/syndication.py). Articles loaded before this migration start as clusters of one;
-- `kabar run --reprocess` computes their signatures.
alter table articles add column cluster_id varchar;
update articles set cluster_id = article_id;

-- MinHash signatures, so a later run finds the near-duplicates of its articles among those loaded.
create table article_signatures (
    article_id varchar primary key,
    minhash uinteger[] not null,       -- one value per hash function
    band_keys bigint[] not null        -- one key per LSH band of the signature
);

-- Unique stories per UTC day: copies of one story count once.
create or replace view stories_per_day as
select
    cast(timezone('UTC', published_at) as date) as published_date,
    count(*) as article_count,
    count(distinct cluster_id) as story_count
from articles
where published_at is not null
group by all;
