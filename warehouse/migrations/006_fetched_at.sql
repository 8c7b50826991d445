-- When a page was fetched from the web (WARC-Date of a CC-NEWS record, or Kabar's own crawl);
-- null for files read from disk, whose fetch time nobody recorded.
alter table documents add column fetched_at timestamptz;
alter table articles add column fetched_at timestamptz;
