-- The catalog says what one row of each table is: article_signatures' description now does too
-- (transforms/schemas.py; tests/unit/test_registry.py holds the comments equal to the registry).
comment on table article_signatures is 'One row per article of 30+ words: its MinHash signature and LSH band keys, for later runs'' syndication clusters.';
