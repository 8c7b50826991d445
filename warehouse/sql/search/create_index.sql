-- One index for every language (warehouse/search.py says why): no stemming, no stopwords, lower case,
-- accents stripped; a token is a run of letters or digits in any script (the default keeps only a-z).
-- A statement of its own: DuckDB expands a PRAGMA before the statements beside it run.
pragma create_fts_index('documents', 'article_id', 'title', 'text',
                        stemmer = 'none', stopwords = 'none', ignore = '[^\p{L}\p{N}]+',
                        strip_accents = 1, lower = 1, overwrite = 1);
