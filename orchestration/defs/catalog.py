"""Who owns Kabar's assets and which layer each belongs to, as the Dagster catalog shows them."""

OWNERS = ["team:kabar"]


def layer(name: str) -> dict[str, str]:
    """The ``layer`` tag: the catalog filters assets by it (ingest, staging, warehouse)."""
    return {"layer": name}
