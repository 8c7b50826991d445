-- Outlet extraction health per outlet and UTC day (outlet_daily_health): the shares of articles with a
-- real title, an author and a publication date, and their median words; days with only rejects are left
-- out (they have no article to measure) and count in outlet_rejects.
select outlet, day, articles, title_share, author_share, published_at_share, median_word_count
from outlet_daily_health
where articles > 0 and day is not null
order by outlet, day;
