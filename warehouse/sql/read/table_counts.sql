select 'articles' as table_name, count(*) as row_count from articles
union all select 'entities', count(*) from entities
union all select 'entity_mentions', count(*) from entity_mentions
union all select 'quotes', count(*) from quotes
union all select 'sources', count(*) from sources
union all select 'article_sources', count(*) from article_sources
union all select 'rejects', count(*) from rejects
union all select 'documents', count(*) from documents
union all select 'article_signatures', count(*) from article_signatures;
