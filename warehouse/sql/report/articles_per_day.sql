-- Articles per UTC publication day and outlet: the $top outlets with the most articles by name, the rest
-- summed as 'other outlets'. Articles without a publication date have no day and are left out.
with daily as (
    select
        coalesce(s.name, 'unknown outlet') as outlet,
        cast(timezone('UTC', a.published_at) as date) as day,
        count(*) as articles
    from articles as a
    left join sources as s on s.source_id = a.source_id
    where a.published_at is not null
    group by all
),
ranked as (
    select outlet, row_number() over (order by sum(articles) desc, outlet) as rank
    from daily
    group by outlet
)
select
    d.day,
    case when r.rank <= $top then d.outlet else 'other outlets' end as outlet,
    cast(sum(d.articles) as bigint) as articles
from daily as d
join ranked as r using (outlet)
group by all
order by d.day, min(r.rank);
