-- Rejected pages per outlet and reason, over all days (outlet_daily_health's rejects_by_reason).
with reasons as (
    select outlet, unnest(map_entries(rejects_by_reason)) as entry
    from outlet_daily_health
)
select outlet, entry.key as reason, cast(sum(entry.value) as bigint) as rejects
from reasons
group by all
order by outlet, reason;
