select article_id from articles where article_id in (select unnest($ids));
