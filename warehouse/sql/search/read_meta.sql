select format_version, articles, fingerprint from search_meta;
