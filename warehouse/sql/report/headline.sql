-- The report's headline numbers: what the warehouse holds, and the UTC days its articles were published.
select
    (select count(*) from articles) as articles,
    (select count(distinct source_id) from articles where source_id is not null) as outlets,
    (select cast(min(timezone('UTC', published_at)) as date) from articles) as first_day,
    (select cast(max(timezone('UTC', published_at)) as date) from articles) as last_day,
    (select count(*) from articles where published_at is null) as undated_articles,
    (select count(distinct entity_id) from entities) as entities,
    (select count(*) from quotes) as quotes,
    (select count(*) from rejects) as rejects;
