-- The columns of the warehouse's tables, to check that staged frames fit them before loading.
select table_name, column_name
from information_schema.columns
where table_schema = 'main' and table_name in (select unnest($tables));
