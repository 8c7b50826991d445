"""Fetching the web politely and safely: the fetcher, outlets' sources file, and the crawl that turns
feeds and sitemaps into stored pages. Network I/O lives here, never in ``transforms``."""
