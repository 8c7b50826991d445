from transforms.entities.places import find_city


def test_a_city_is_found_by_its_name_and_by_exonyms_of_large_cities():
    assert find_city("Almaty").country_code == "KZ"
    assert find_city("Alma-Ata").name == "Almaty"
    assert find_city("Cologne").name == "Köln"
    assert find_city("Москва").name == "Moscow"


def test_a_known_country_narrows_the_city_and_unknown_names_find_nothing():
    assert find_city("Paris").country_code == "FR"
    assert find_city("Paris", "US").country_code == "US"   # Paris, Texas
    assert find_city("Almaty", "ID") is None
    assert find_city("Zorblax") is None


def test_small_towns_alternate_spellings_do_not_capture_other_places():
    assert find_city("Mamuju") is None   # listed as an alternate of Mamoudzou (Mayotte, 55k people)
