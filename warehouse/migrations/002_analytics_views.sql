-- Analytics views. Days are UTC calendar days whatever the session time zone.

create or replace view daily_entity_counts as
select
    cast(timezone('UTC', a.published_at) as date) as published_date,
    e.entity_id,
    e.name,
    e.type,
    e.country_code,
    count(distinct e.article_id) as article_count,
    sum(e.mention_count) as mention_count
from entities as e
join articles as a using (article_id)
where a.published_at is not null
group by all;

create or replace view quotes_per_speaker as
select
    q.speaker,
    q.speaker_entity_id,
    count(*) as quote_count,
    count(distinct q.article_id) as article_count,
    list(distinct s.name order by s.name) filter (where s.name is not null) as outlets
from quotes as q
join articles as a using (article_id)
left join sources as s on s.source_id = a.source_id
where q.speaker is not null
group by q.speaker, q.speaker_entity_id;

create or replace view agency_citations_per_outlet as
select
    cast(timezone('UTC', a.published_at) as date) as published_date,
    outlet.name as outlet,
    agency.name as agency,
    cited.role,
    count(*) as citation_count
from article_sources as cited
join sources as agency on agency.source_id = cited.source_id and agency.kind = 'agency'
join articles as a on a.article_id = cited.article_id
left join sources as outlet on outlet.source_id = a.source_id
where cited.role in ('cited', 'credit')
group by all;
