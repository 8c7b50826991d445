"""A realistic synthetic warehouse for timing what analysts run on it (search, reports).

``build_bench_warehouse(path, articles=10_000, seed=0)`` writes N articles from a dozen outlets and a few
news agencies over ~60 days in Indonesian, English and some French, each a few hundred words drawn from
a vocabulary, naming people, places and organisations, with quotes and their speakers, agency citations,
rejected documents and every article's document. The same seed gives the same warehouse. It writes
through ``warehouse.io`` (migrations, ``load_batch`` with its integrity checks), so the schema and keys
are the real ones.

    .venv/bin/python -m bench.analyst_warehouse /tmp/bench.duckdb --articles 10000
"""
from __future__ import annotations

import argparse
import hashlib
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from transforms.schemas import frame
from warehouse.io import load_batch, open_warehouse

START = datetime(2026, 9, 1, tzinfo=UTC)
DAYS = 60
BATCH_ARTICLES = 2_000
REJECT_SHARE = 0.04
NOW = datetime(2026, 11, 1, tzinfo=UTC)

# (name, domain, kind, language, country)
OUTLETS = (
    ("Kompas", "kompas.com", "id", "ID"), ("Detik", "detik.com", "id", "ID"), ("Tempo", "tempo.co", "id", "ID"),
    ("CNN Indonesia", "cnnindonesia.com", "id", "ID"), ("Republika", "republika.co.id", "id", "ID"),
    ("Liputan6", "liputan6.com", "id", "ID"), ("Kumparan", "kumparan.com", "id", "ID"),
    ("The Jakarta Post", "thejakartapost.com", "en", "ID"), ("Jakarta Globe", "jakartaglobe.id", "en", "ID"),
    ("The Straits Times", "straitstimes.com", "en", "SG"), ("Channel News Asia", "channelnewsasia.com", "en", "SG"),
    ("Le Monde", "lemonde.fr", "fr", "FR"),
)
AGENCIES = (("Antara", "antaranews.com", "id", "ID"), ("Reuters", "reuters.com", "en", "GB"),
            ("AFP", "afp.com", "fr", "FR"), ("Associated Press", "apnews.com", "en", "US"))
LANGUAGE_SHARE = {"id": 0.6, "en": 0.35, "fr": 0.05}

PEOPLE = ("Joko Widodo", "Jokowi", "Prabowo Subianto", "Sri Mulyani", "Anies Baswedan", "Ganjar Pranowo", "Gibran Rakabuming",
          "Retno Marsudi", "Erick Thohir", "Luhut Pandjaitan", "Puan Maharani", "Lee Hsien Loong", "Anwar Ibrahim",
          "Emmanuel Macron", "Antonio Guterres", "Xi Jinping", "Joe Biden")
PLACES = ("Jakarta", "Surabaya", "Bandung", "Medan", "Makassar", "Yogyakarta", "Bali", "Papua", "Singapura",
          "Kuala Lumpur", "Paris", "Beijing")
ORGS = ("Bank Indonesia", "KPK", "DPR", "Pertamina", "ASEAN", "IMF", "PBB", "Polri", "TNI", "OJK")
WORDS = {
    "id": ("pemerintah presiden menteri rakyat ekonomi harga pasar bank rupiah sekolah banjir hujan jalan polisi "
           "warga desa provinsi pemilu partai calon suara hasil data laporan kebijakan anggaran pajak investasi "
           "pembangunan infrastruktur kesehatan rumah sakit vaksin pendidikan guru siswa pangan beras petani nelayan "
           "laut pulau gempa bencana korban bantuan sosial energi listrik minyak subsidi inflasi ekspor impor "
           "perdagangan industri pabrik pekerja upah buruh dan yang di ke dari untuk dengan pada ini itu akan "
           "tidak juga telah sudah masih lebih banyak baru tahun bulan hari kata menurut").split(),
    "en": ("government president minister people economy price market bank currency school flood rain road police "
           "residents village province election party candidate vote result data report policy budget tax "
           "investment development infrastructure health hospital vaccine education teacher student food rice "
           "farmer fisherman sea island earthquake disaster victims aid social energy electricity oil subsidy "
           "inflation export import trade industry factory workers wage labour and the of to in for with on this "
           "that will not also has have been more many new year month day said according").split(),
    "fr": ("gouvernement président ministre peuple économie prix marché banque école inondation pluie route police "
           "habitants village province élection parti candidat vote résultat données rapport politique budget impôt "
           "investissement santé hôpital vaccin éducation énergie électricité pétrole inflation commerce industrie "
           "usine travailleurs salaire et le la les de des du pour avec sur ce cette sera pas aussi été plus année "
           "mois jour selon café").split(),
}
SPEECH = {"id": ("kata", "ujar", "ungkap"), "en": ("said", "told reporters", "added"), "fr": ("a déclaré", "a dit")}
REJECT_REASONS = ("empty", "no_text", "not_article", "superseded")


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def source_row(name: str, domain: str, kind: str, language: str | None = None, country_code: str | None = None) -> dict:
    return dict(source_id=sha256(f"SOURCE|{domain}"), name=name, domain=domain, kind=kind,
                country_code=country_code, language=language)


def document_row(document_id: str, url: str | None, seen_at: datetime) -> dict:
    return dict(document_id=document_id, origin=f"bench/{document_id[:12]}.html", url=url, size_bytes=1000,
                first_seen_at=seen_at)


def article_row(article_id: str, text: str, *, title: str | None, language: str | None, source_id: str | None,
                url: str | None, published_at: datetime | None, document_id: str | None = None) -> dict:
    """An articles row with the columns a run would fill that the given ones imply (hashes, counts, times)."""
    return dict(article_id=article_id, cluster_id=article_id, document_id=document_id or sha256(f"DOC|{article_id}"),
                url=url, canonical_url=url, source_id=source_id, title=title, text=text, language=language,
                published_at=published_at, published_at_precision="minute" if published_at else None,
                word_count=len(text.split()), content_sha256=sha256(text), extracted_at=NOW,
                extractor_version="bench")


def load_rows(path: Path, rows: dict[str, list[dict]]) -> None:
    """Load ``{table: [row dicts]}`` through the warehouse's migrations and load transaction; every
    article's document is added when missing."""
    documents = {row["document_id"]: row for row in rows.get("documents", [])}
    for article in rows.get("articles", []):
        documents.setdefault(article["document_id"], document_row(article["document_id"], article["url"], NOW))
    frames = {table: frame(table, table_rows) for table, table_rows in rows.items()}
    frames["documents"] = frame("documents", list(documents.values()))
    with open_warehouse(path) as con:
        load_batch(con, frames)


def build_bench_warehouse(path: Path, articles: int = 10_000, seed: int = 0) -> None:
    """Write ``articles`` synthetic articles (and their children, rejects, documents) to the warehouse at ``path``."""
    rng = random.Random(seed)
    outlets = [source_row(name, domain, "publisher", language, country) for name, domain, language, country in OUTLETS]
    agencies = [source_row(name, domain, "agency", language, country) for name, domain, language, country in AGENCIES]
    for first in range(0, articles, BATCH_ARTICLES):
        rows = {"sources": outlets + agencies, "articles": [], "entities": [], "entity_mentions": [], "quotes": [],
                "article_sources": [], "rejects": [], "documents": []}
        for number in range(first, min(articles, first + BATCH_ARTICLES)):
            _add_article(rows, rng, number, outlets, agencies)
            if rng.random() < REJECT_SHARE:
                _add_reject(rows, rng, number)
        load_rows(path, rows)


def _add_article(rows: dict[str, list[dict]], rng: random.Random, number: int, outlets: list[dict],
                 agencies: list[dict]) -> None:
    language = rng.choices(list(LANGUAGE_SHARE), weights=list(LANGUAGE_SHARE.values()))[0]
    outlet = rng.choice([o for o in outlets if o["language"] == language])
    article_id = sha256(f"ARTICLE|{number}")
    url = f"https://{outlet['domain']}/berita/{number}"
    published_at = START + timedelta(minutes=rng.randrange(DAYS * 24 * 60))
    people = rng.sample(PEOPLE, 3)
    text = _Text()
    for _ in range(rng.randint(8, 20)):   # paragraphs of a few sentences: a few hundred words in all
        text.add(" ".join(rng.choices(WORDS[language], k=rng.randint(8, 16))).capitalize() + " ")
        text.mention(rng.choice(people))
        text.add(f" {rng.choice(PLACES)} {rng.choice(ORGS)} " + " ".join(rng.choices(WORDS[language], k=6)) + ". ")
        if rng.random() < 0.3:
            speaker = rng.choice(people)
            words = '"' + " ".join(rng.choices(WORDS[language], k=rng.randint(6, 14))).capitalize() + '."'
            quote = text.add(words)
            cue = rng.choice(SPEECH[language])
            text.add(f" {cue} ")
            text.mention(speaker)
            text.add(".\n")
            rows["quotes"].append(dict(quote_id=sha256(f"QUOTE|{article_id}|{quote[0]}|{quote[1]}"),
                                       article_id=article_id, text=words, speaker=speaker,
                                       speaker_entity_id=_entity_id("PERSON", speaker), cue=cue,
                                       start_offset=quote[0], end_offset=quote[1]))
        else:
            text.add("\n")
    title = f"{rng.choice(people)} " + " ".join(rng.choices(WORDS[language], k=rng.randint(4, 8)))
    rows["articles"].append(article_row(article_id, text.value, title=title, language=language,
                                        source_id=outlet["source_id"], url=url, published_at=published_at))
    for name, (start, end) in text.mentions:
        rows["entity_mentions"].append(dict(article_id=article_id, entity_id=_entity_id("PERSON", name),
                                            start_offset=start, end_offset=end, surface=name))
    for name in {name for name, _ in text.mentions}:
        rows["entities"].append(dict(article_id=article_id, entity_id=_entity_id("PERSON", name), name=name,
                                     type="PERSON", mention_count=sum(n == name for n, _ in text.mentions),
                                     method="bench"))
    rows["article_sources"].append(dict(article_id=article_id, source_id=outlet["source_id"], role="publisher",
                                        evidence=url))
    if rng.random() < 0.25:
        agency = rng.choice(agencies)
        rows["article_sources"].append(dict(article_id=article_id, source_id=agency["source_id"],
                                            role=rng.choice(("cited", "credit")), evidence=agency["name"]))


def _add_reject(rows: dict[str, list[dict]], rng: random.Random, number: int) -> None:
    document_id = sha256(f"REJECT|{number}")
    rows["documents"].append(document_row(document_id, None, NOW))
    rows["rejects"].append(dict(document_id=document_id, origin=f"bench/{number}.html",
                                reason=rng.choice(REJECT_REASONS), detail="bench", rejected_at=NOW))


def _entity_id(kind: str, name: str) -> str:
    return sha256(f"{kind}|{name.lower()}")


class _Text:
    """An article's text built piece by piece, remembering where each piece and mention lies."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.mentions: list[tuple[str, tuple[int, int]]] = []

    def add(self, piece: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(piece)
        self.length += len(piece)
        return start, self.length

    def mention(self, name: str) -> None:
        self.mentions.append((name, self.add(name)))

    @property
    def value(self) -> str:
        return "".join(self.parts)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    build_bench_warehouse(arguments.path, arguments.articles, arguments.seed)
