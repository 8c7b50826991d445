select document_id, origin, url, size_bytes, first_seen_at, fetched_at from documents order by first_seen_at, document_id;
