-- Outlet extraction health: per outlet and UTC day, how many articles were loaded and how many of them
-- kept the fields a changed page template loses first (a headline that is not just the site's name, a
-- byline, a publication date), their median body length, and the pages rejected, by reason.
-- An article's day is when it was fetched, else when it was published; a reject's day is when its
-- document was fetched, else when it was rejected. Articles without a publisher (no URL) are the
-- 'unknown outlet' row; a reject is given the known outlet whose domain its URL's host is (or is under),
-- else the host itself (without 'www.'), else 'unknown outlet'.
-- pipeline/outlet_health.py reads it for the asset check that warns when an outlet degrades.

create or replace view outlet_daily_health as
with article_days as (
    select
        coalesce(s.name, 'unknown outlet') as outlet,
        a.source_id,
        cast(timezone('UTC', coalesce(a.fetched_at, a.published_at)) as date) as day,
        coalesce(nullif(trim(a.title), ''), '') <> ''
            and lower(trim(a.title)) <> lower(trim(coalesce(a.site_name, '')))
            and lower(trim(a.title)) <> lower(trim(coalesce(s.name, ''))) as is_titled,
        coalesce(len(a.authors), 0) > 0 as is_authored,
        a.published_at is not null as is_dated,
        a.word_count
    from articles as a
    left join sources as s on s.source_id = a.source_id
),
article_health as (
    select
        outlet,
        source_id,
        day,
        count(*) as articles,
        avg(cast(is_titled as integer)) as title_share,
        avg(cast(is_authored as integer)) as author_share,
        avg(cast(is_dated as integer)) as published_at_share,
        median(word_count) as median_word_count
    from article_days
    group by outlet, source_id, day
),
reject_hosts as (
    select
        r.document_id,
        r.reason,
        cast(timezone('UTC', coalesce(d.fetched_at, r.rejected_at)) as date) as day,
        nullif(regexp_replace(lower(regexp_extract(d.url, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)', 1)),
                              '^www\.', ''), '') as host
    from rejects as r
    left join documents as d using (document_id)
),
reject_outlets as (
    select
        coalesce(s.name, r.host, 'unknown outlet') as outlet,
        s.source_id,
        r.day,
        r.reason
    from reject_hosts as r
    left join sources as s
        on s.kind = 'publisher' and (r.host = s.domain or r.host like '%.' || s.domain)
    -- the longest matching domain: a page of news.example.co.uk is example.co.uk's, not co.uk's
    qualify row_number() over (partition by r.document_id, r.reason order by length(s.domain) desc nulls last) = 1
),
reject_reasons as (
    select outlet, source_id, day, reason, count(*) as reject_count
    from reject_outlets
    group by all
),
reject_health as (
    select
        outlet,
        source_id,
        day,
        cast(sum(reject_count) as bigint) as rejects,
        map(list(reason order by reason), list(reject_count order by reason)) as rejects_by_reason
    from reject_reasons
    group by outlet, source_id, day
)
select
    coalesce(a.outlet, r.outlet) as outlet,
    coalesce(a.source_id, r.source_id) as source_id,
    coalesce(a.day, r.day) as day,
    coalesce(a.articles, 0) as articles,
    a.title_share,
    a.author_share,
    a.published_at_share,
    a.median_word_count,
    coalesce(r.rejects, 0) as rejects,
    coalesce(r.rejects_by_reason, map()) as rejects_by_reason
from article_health as a
full outer join reject_health as r
    on a.outlet = r.outlet and a.source_id is not distinct from r.source_id and a.day is not distinct from r.day;

comment on view outlet_daily_health is 'One row per outlet and UTC day (fetched, else published): articles, the shares with a title that is not the site name, with an author and with a publication date, median body words, and rejects by reason.';
