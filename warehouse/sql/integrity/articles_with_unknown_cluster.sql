-- Every article names its cluster by the article_id of a loaded article (a null names none).
select a.article_id, a.cluster_id
from articles as a
left join articles as c on c.article_id = a.cluster_id
where c.article_id is null;
