select m.article_id, m.entity_id
from entity_mentions as m
left join entities as e using (article_id, entity_id)
where e.entity_id is null;
