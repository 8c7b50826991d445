-- Core tables of the Kabar warehouse. Keys end in _id, times in _at (TIMESTAMPTZ, UTC).
-- Foreign keys are checked by warehouse/sql/integrity/*.sql inside each load transaction
-- (declared FKs would forbid the replace-on-reprocess upserts).

create table documents (
    document_id varchar primary key,   -- SHA-256 of the decompressed input bytes
    origin varchar not null,           -- input path (or URL) where it was first seen
    url varchar,
    size_bytes bigint not null,
    first_seen_at timestamptz not null
);

create table sources (
    source_id varchar primary key,     -- SHA-256 of 'SOURCE|' + registered domain
    name varchar not null,
    domain varchar not null,
    kind varchar not null              -- publisher | agency
);

create table articles (
    article_id varchar primary key,    -- SHA-256 of the canonical URL, else of the document bytes
    document_id varchar not null,
    url varchar,
    canonical_url varchar,
    source_id varchar,
    title varchar,
    text varchar not null,
    language varchar,
    published_at timestamptz,
    published_at_precision varchar,    -- second | minute | day
    published_at_raw varchar,          -- the date as the page wrote it
    authors varchar[],
    word_count integer,
    content_sha256 varchar not null,
    origin varchar,
    site_name varchar,
    description varchar,
    image_url varchar,
    categories varchar[],
    tags varchar[],
    extracted_at timestamptz not null,
    extractor_version varchar not null
);

create table entities (
    article_id varchar not null,
    entity_id varchar not null,        -- SHA-256 of 'TYPE|key'
    name varchar not null,
    type varchar not null,             -- PERSON | ORG | LOC
    mention_count integer not null,
    country_code varchar,
    method varchar,
    primary key (article_id, entity_id)
);

create table entity_mentions (
    article_id varchar not null,
    entity_id varchar not null,
    start_offset integer not null,     -- articles.text[start_offset:end_offset] == surface
    end_offset integer not null,
    surface varchar not null,
    primary key (article_id, start_offset, end_offset)
);

create table quotes (
    quote_id varchar primary key,
    article_id varchar not null,
    text varchar not null,             -- articles.text[start_offset:end_offset]
    speaker varchar,
    speaker_entity_id varchar,
    cue varchar,
    start_offset integer not null,
    end_offset integer not null
);

create table article_sources (
    article_id varchar not null,
    source_id varchar not null,
    role varchar not null,             -- publisher | cited | credit
    evidence varchar,
    primary key (article_id, source_id, role)
);

create table rejects (
    document_id varchar not null,
    origin varchar,
    reason varchar not null,
    detail varchar,
    rejected_at timestamptz not null,
    primary key (document_id, reason)
);
