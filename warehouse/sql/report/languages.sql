-- Articles per detected language, most first; an article whose language is unknown counts as 'unknown'.
select coalesce(language, 'unknown') as language, count(*) as articles
from articles
group by all
order by articles desc, language;
