select source_id from sources where source_id in (select unnest($ids));
