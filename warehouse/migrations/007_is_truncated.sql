-- Whether the article's text was cut to a bound before a costly step (a page with 50,000 links or a
-- 9 MB text node): its entities and quotes then cover only the first part of the text. Rows loaded
-- before take the default.
alter table articles add column is_truncated boolean default false;
