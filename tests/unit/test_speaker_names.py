"""Speakers stored as the person the article names in full (issue 14), on pages written for these
tests in the patterns Indonesian news uses: a short name at the cue, a name written in full only after
a long role, a title with no name, and pieces of a role description the model takes for a person."""
from __future__ import annotations

from transforms.entities import EntityMention, find_entities
from transforms.quotes import find_quotes


def speakers(text: str) -> list[str | None]:
    return [quote.speaker for quote in find_quotes(text, "id", find_entities(text, "id"))]


def test_a_short_name_at_the_cue_is_the_person_named_in_full_before():
    text = ("MEDAN, KABAR — Kepala Dinas Pertamanan Kota Medan Siti Rahmawati Lubis meninjau taman kota, Senin.\n\n"
            "”Kami akan menanam seribu pohon tahun ini,” kata Siti.")
    assert speakers(text) == ["Siti Rahmawati Lubis"]


def test_a_name_written_in_full_after_a_long_role_is_the_speaker_of_its_first_name_later():
    text = ("”Perkara ini segera kami limpahkan ke pengadilan,” kata Asisten Pidana Umum Kejaksaan Tinggi Riau "
            "Hendra Gunawan Sitorus, di Pekanbaru, Selasa.\n\n"
            "Berkas tiga tersangka sudah lengkap.\n\n"
            "”Tidak ada yang kami tutupi dari publik,” ujar Hendra.")
    assert speakers(text)[-1] == "Hendra Gunawan Sitorus"


def test_a_title_alone_is_the_person_the_article_gave_that_title():
    text = ("SURABAYA, KABAR — Gubernur Jawa Timur Ratna Dewi Anggraini membuka pameran batik, Rabu.\n\n"
            "Menteri Perdagangan Arif Budiman ikut hadir.\n\n"
            "”Batik harus menjadi tuan rumah di negeri sendiri,” kata Gubernur.")
    assert speakers(text) == ["Ratna Dewi Anggraini"]


def test_a_title_no_one_was_given_is_stored_as_written():
    text = "Pembangunan bendungan dipercepat.\n\n”Kita kejar selesai akhir tahun,” kata Presiden."
    assert speakers(text) == ["Presiden"]


def test_a_piece_of_a_role_description_is_not_the_speaker():
    text = ("Polisi masih memeriksa saksi.\n\n”Kami belum bisa menyimpulkan penyebabnya,” kata Kepala Bagian Humas "
            "Polres Bogor Ajun Komisaris Yudi Pranata.")
    said = speakers(text)[0]
    assert said is None or said.split()[-1] == "Pranata"


def test_role_words_the_model_ran_into_a_name_are_left_off_and_the_name_is_written_in_full():
    text = ("JAKARTA, KABAR — Menteri Riset dan Teknologi/Kepala Badan Riset dan Inovasi Nasional Bambang PS "
            "Rahardjo mengatakan, riset vaksin terus berjalan dan inovasi nasional harus didukung.\n\n"
            "”Kami menargetkan uji klinis selesai tahun depan,” ujar Bambang.\n\n"
            "Menurut dia, dana riset akan ditambah. ”Peneliti muda harus diberi ruang,” ujarnya.")
    assert speakers(text) == ["Bambang PS Rahardjo", "Bambang PS Rahardjo"]


def test_a_common_word_opening_a_sentence_is_no_speaker():
    """What the model sometimes reads as a person ("Fenomena La Nina") is passed over when the article
    writes its first word in lower case elsewhere."""
    text = ("Kepala BMKG Dewi Kartika Sari memperingatkan warga.\n\n"
            "Fenomena La Nina membawa hujan lebat, dan fenomena serupa pernah muncul.\n\n"
            "”Warga pesisir harus waspada,” tuturnya.")
    mentions = [m for m in find_entities(text, "id") if m.surface != "Fenomena La Nina"]
    start = text.index("Fenomena La Nina")
    fake = EntityMention("e1", "Fenomena La Nina", "PERSON", None, start, start + 16, "Fenomena La Nina", "model:id")
    assert [q.speaker for q in find_quotes(text, "id", sorted([*mentions, fake], key=lambda m: m.start_offset))] \
        == ["Dewi Kartika Sari"]


def test_nya_names_the_person_introduced_since_the_last_quote_even_paragraphs_before():
    text = ("”Harga beras harus turun sebelum Lebaran,” kata Rina Marlina.\n\n"
            "Sementara itu, Ketua Asosiasi Pedagang Pasar Hendro Wibisono menilai, pasokan dari petani masih lancar.\n\n"
            "Menurut catatan asosiasi, stok di gudang cukup untuk tiga bulan.\n\n"
            "”Yang perlu dijaga adalah distribusi ke daerah terpencil,” ujarnya.")
    assert speakers(text) == ["Rina Marlina", "Hendro Wibisono"]


def test_the_name_that_ends_a_role_after_the_cue_is_the_speaker():
    """A role with commas and "dan" inside it, then the name, then the date or a lower-case clause."""
    text = ("Pasien dirujuk ke rumah sakit lain.\n\n"
            "”Kondisinya sudah stabil sejak pagi,” kata Kepala Bagian Hukum dan Humas, Rumah Sakit Umum Daerah "
            "Cibinong, Sari Handayani, saat dihubungi, Senin.\n\n"
            "”Keluarga boleh menjenguk,” kata Menteri Koordinator Bidang Pembangunan Manusia, Kebudayaan, dan "
            "Pariwisata Hasan Basri Nasution dalam konferensi pers.")
    assert speakers(text) == ["Sari Handayani", "Hasan Basri Nasution"]


def test_a_description_opening_the_cue_gives_way_to_the_name_after_its_comma():
    text = ("Alat tes napas itu diuji di lima kota.\n\n"
            "”Hasilnya keluar dalam dua menit,” kata anggota Tim Peneliti Alat Napas dari Universitas Padjadjaran, "
            "Rudi Hartono Siregar, seusai uji coba di Bandung.")
    assert speakers(text) == ["Rudi Hartono Siregar"]


def test_a_name_after_the_title_that_ends_a_role_is_the_speaker():
    text = ("Razia masker digelar di sepuluh titik.\n\n"
            "”Dari 2.000 personel, separuhnya berjaga di jalan,” tutur Kepala Bidang Humas Polda Sumatera Utara "
            "Komisaris Besar Hadi Wahyudi Sembiring, Selasa, di Medan.")
    said = speakers(text)[0]
    assert said is not None and said.split()[-1] == "Sembiring" and "Komisaris" not in said


def test_a_person_the_model_ran_into_an_organisation_speaks_for_nya_later():
    text = ("”Ekspor kita naik tajam tahun ini,” kata Rina Marlina.\n\n"
            "Sementara itu, Ketua Asosiasi UMKM Hendra Saputra Lubis menilai, perjanjian dagang membawa peluang.\n\n"
            "Pelaku usaha harus meningkatkan mutu produk. ”Pasar kita sendiri bisa direbut produk impor,” ujarnya.")
    assert speakers(text)[-1] == "Hendra Saputra Lubis"


def _with_fake_person(text: str, surface: str, name: str | None = None) -> list[EntityMention]:
    """The article's mentions plus the "person" the model sometimes reads into ``surface``."""
    start = text.index(surface)
    fake = EntityMention("fake", name or surface, "PERSON", None, start, start + len(surface), surface, "model:id")
    kept = [m for m in find_entities(text, "id") if not (m.start_offset < fake.end_offset and fake.start_offset < m.end_offset)]
    return sorted([*kept, fake], key=lambda m: m.start_offset)


def test_a_one_word_person_that_only_opens_a_sentence_is_no_speaker():
    text = ("”Kami sudah mengirim surat ke dinas,” kata Bayu Prasetyo Nugroho.\n\n"
            "Kenyataan itu ironis dengan aturan pembatasan yang berlaku.\n\n"
            "Warga tetap berkerumun di pasar. ”Aturan harus ditegakkan,” katanya.")
    quotes = find_quotes(text, "id", _with_fake_person(text, "Kenyataan"))
    assert [q.speaker for q in quotes] == ["Bayu Prasetyo Nugroho", "Bayu Prasetyo Nugroho"]

