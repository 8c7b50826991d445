-- Child rows of articles this batch replaces (reprocessing, a newer version of a URL).
delete from entity_mentions where article_id in (select article_id from staged_articles);
delete from entities where article_id in (select article_id from staged_articles);
delete from quotes where article_id in (select article_id from staged_articles);
delete from article_sources where article_id in (select article_id from staged_articles);
