-- Where a source is from and what it publishes in: the curated table's values for agencies and
-- major outlets, else the ccTLD's country and the publisher's page language (null when unknown).
alter table sources add column country_code varchar;
alter table sources add column language varchar;
