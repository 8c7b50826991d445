insert into sources by name
select source_id, name, domain, kind, country_code, language from staged_sources
on conflict (source_id) do update set
    country_code = coalesce(sources.country_code, excluded.country_code),
    language = coalesce(sources.language, excluded.language);
