-- Publication times of already loaded articles, to keep only the later version of a URL.
select article_id, published_at from articles where article_id in (select unnest($article_ids));
