-- The $top entities mentioned in the most articles, with their type (one row per entity, not per name).
select entity_id, any_value(name order by name) as name, any_value(type) as type,
       count(distinct article_id) as articles
from entities
group by entity_id
order by articles desc, name, entity_id
limit $top;
