-- What the index was built from, compared by the next search (fingerprint.sql).
create table search_meta (
    format_version integer not null,   -- warehouse/search.py INDEX_FORMAT: a new layout rebuilds
    articles bigint not null,
    fingerprint varchar not null,
    built_at timestamptz not null default current_timestamp
);
insert into search_meta (format_version, articles, fingerprint) values ($format_version, $articles, $fingerprint);
