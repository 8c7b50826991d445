-- Articles with their UTC publication date as the partition column of the Parquet export.
select *, cast(timezone('UTC', published_at) as date) as published_date
from articles
order by published_date, article_id;
