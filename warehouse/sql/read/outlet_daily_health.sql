-- The outlets' days for the degradation check (transforms/outlet_health.py). Only known outlets: the
-- 'unknown outlet' row mixes every page without a URL, so it has no one template to watch.
select outlet, day, articles, title_share, author_share, published_at_share, median_word_count
from outlet_daily_health
where source_id is not null and day is not null and articles > 0
order by outlet, day
