-- The page's own last-modified time (JSON-LD dateModified, article:modified_time and their kin), as
-- news-please's date_modify; and whether the publisher marks the article free to read (JSON-LD
-- isAccessibleForFree, as Fundus's free_access). Both null where the page says nothing, and for rows
-- loaded before this migration.
alter table articles add column modified_at timestamptz;
alter table articles add column is_accessible_for_free boolean;
