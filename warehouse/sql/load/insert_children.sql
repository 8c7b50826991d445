insert into entities by name select * from staged_entities;
insert into entity_mentions by name select * from staged_entity_mentions;
insert into quotes by name select * from staged_quotes;
insert into article_sources by name select * from staged_article_sources;
