insert into sources by name
select source_id, name, domain, kind from staged_sources
on conflict (source_id) do nothing;
