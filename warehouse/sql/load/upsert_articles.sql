insert or replace into articles by name
select * from staged_articles;
