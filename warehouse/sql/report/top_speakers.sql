-- The $top speakers quoted most (quotes_per_speaker: one row per speaker name and resolved entity).
select speaker, cast(sum(quote_count) as bigint) as quotes, cast(sum(article_count) as bigint) as articles
from quotes_per_speaker
group by speaker
order by quotes desc, speaker
limit $top;
