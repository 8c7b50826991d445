-- How often each outlet cites or credits each news agency, over all days (agency_citations_per_outlet).
select coalesce(outlet, 'unknown outlet') as outlet, agency, cast(sum(citation_count) as bigint) as citations
from agency_citations_per_outlet
group by all
order by outlet, citations desc, agency;
