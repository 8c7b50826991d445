-- A replaced article's signature goes with it (its new text may be too short to have one).
delete from article_signatures where article_id in (select article_id from staged_articles);
insert into article_signatures by name select * from staged_article_signatures;
