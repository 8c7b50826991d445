select q.quote_id, q.speaker_entity_id
from quotes as q
left join entities as e on e.article_id = q.article_id and e.entity_id = q.speaker_entity_id
where q.speaker_entity_id is not null and e.entity_id is null;
