"""Made-up participants for the demo data: names, cities and organisations by country.

The people are invented; the cities are real so the attendee list reads like a real one.
Email addresses use example.org, which can never receive mail (RFC 2606).
"""

from __future__ import annotations

import dataclasses
import random
import re
import unicodedata
from dataclasses import dataclass

from app.models import NameOrder, OrganisationType, Title
from app.services.registration.references import ALPHABET, SUFFIX_LENGTH


@dataclass(frozen=True)
class NameGroup:
    men: tuple[str, ...]
    women: tuple[str, ...]
    families: tuple[str, ...]


def _group(men: str, women: str, families: str) -> NameGroup:
    return NameGroup(tuple(men.split(", ")), tuple(women.split(", ")), tuple(families.split(", ")))


NAMES = {
    "korean": _group("Min-jun, Ji-hoon, Dong-hyun, Sung-ho, Jae-won, Hyun-woo, Tae-yang",
                     "Seo-yeon, Hye-jin, Su-bin, Eun-ji, Ji-young, Min-seo, Yoon-ah",
                     "Kim, Lee, Park, Choi, Jung, Kang, Cho, Yoon, Jang, Lim, Han, Shin"),
    "vietnamese": _group("Văn An, Minh Tuấn, Quốc Bảo, Đức Huy, Hoàng Nam, Thành Long",
                         "Thị Lan, Thu Hà, Ngọc Anh, Thanh Hương, Mai Linh, Phương Thảo",
                         "Nguyễn, Trần, Lê, Phạm, Hoàng, Vũ, Đặng, Bùi, Đỗ, Ngô"),
    "east_african": _group("Otieno, Kamau, Mwangi, Kiprono, Baraka, Juma, Emmanuel, Jean-Paul",
                           "Wanjiru, Achieng, Njeri, Akinyi, Chebet, Neema, Aline, Grace",
                           "Odhiambo, Kariuki, Mutua, Kiplagat, Omondi, Njoroge, Mushi, Uwimana, Okello"),
    "ethiopian": _group("Dawit, Abebe, Yonas, Tesfaye", "Tigist, Selamawit, Hiwot, Meron",
                        "Bekele, Haile, Girma, Tadesse, Alemu"),
    "brazilian": _group("João, Rafael, Lucas, Thiago, Gustavo", "Ana Carolina, Mariana, Beatriz, Fernanda, Juliana",
                        "Silva, Santos, Oliveira, Souza, Pereira, Costa, Almeida, Ferreira"),
    "hispanic": _group("Alejandro, Andrés, Diego, Javier, Mateo", "Valentina, Camila, Lucía, Daniela, Paula",
                       "García, Rodríguez, Martínez, López, Hernández, Gómez, Díaz, Torres, Quispe"),
    "indonesian_malay": _group("Budi, Agus, Rizky, Hendra, Ahmad, Farid", "Siti, Dewi, Putri, Ayu, Nurul, Aisyah",
                               "Santoso, Wijaya, Pratama, Saputra, Hidayat, Kusuma, Rahman, Nugroho, Abdullah"),
    "thai": _group("Somchai, Niran, Prasert, Kittisak", "Suda, Malee, Ploy, Kanokwan",
                   "Srisuk, Chaiyaporn, Wongsawat, Boonmee, Rattanakul"),
    "mongolian": _group("Bat-Erdene, Ganbold, Temuulen", "Oyuntsetseg, Enkhjargal, Nomin",
                        "Dorj, Batbayar, Tserendorj, Purevsuren"),
    "central_asian": _group("Rustam, Timur, Aibek, Nurlan", "Dilnoza, Aigerim, Madina, Gulnara",
                            "Karimov, Yusupov, Nurlanov, Abdullaev, Seitkali"),
    "west_african": _group("Chinedu, Kwame, Oluwaseun, Kofi, Emeka", "Ngozi, Ama, Adaeze, Efua, Funmilayo",
                           "Okafor, Adeyemi, Mensah, Owusu, Balogun, Asante, Eze"),
    "francophone_african": _group("Mamadou, Ousmane, Cheikh, Koffi", "Fatou, Aminata, Awa, Mariam",
                                  "Diallo, Ndiaye, Sow, Fall, Kouassi, Traoré"),
    "south_asian": _group("Rahul, Arjun, Imran, Nimal, Prakash, Sanjay", "Priya, Anjali, Farhana, Sunita, Nadia, Kavya",
                          "Sharma, Patel, Gupta, Perera, Rahman, Shrestha, Fernando, Hossain, Reddy"),
    "arabic": _group("Ahmed, Omar, Youssef, Karim, Khaled", "Fatima, Nour, Salma, Layla, Amira",
                     "Hassan, El-Sayed, Benali, Haddad, Mansour, Khalil, Al-Harthy, Bennani"),
}

# country: (name group, calling code, cities)
COUNTRIES = {
    "KR": ("korean", "82", ("Daejeon", "Seoul", "Pohang", "Gwangju", "Busan", "Sejong")),
    "VN": ("vietnamese", "84", ("Hanoi", "Ho Chi Minh City", "Da Nang", "Can Tho", "Hai Phong")),
    "KE": ("east_african", "254", ("Nairobi", "Mombasa", "Kisumu")),
    "TZ": ("east_african", "255", ("Dar es Salaam", "Arusha")),
    "UG": ("east_african", "256", ("Kampala",)),
    "RW": ("east_african", "250", ("Kigali",)),
    "ET": ("ethiopian", "251", ("Addis Ababa", "Bahir Dar")),
    "BR": ("brazilian", "55", ("Recife", "Porto Alegre", "Campinas", "Florianópolis")),
    "CO": ("hispanic", "57", ("Medellín", "Bogotá")),
    "PE": ("hispanic", "51", ("Lima", "Arequipa")),
    "MX": ("hispanic", "52", ("Monterrey", "Guadalajara")),
    "ID": ("indonesian_malay", "62", ("Bandung", "Surabaya", "Yogyakarta", "Jakarta")),
    "MY": ("indonesian_malay", "60", ("Kuala Lumpur", "Penang")),
    "TH": ("thai", "66", ("Bangkok", "Chiang Mai", "Khon Kaen")),
    "MN": ("mongolian", "976", ("Ulaanbaatar",)),
    "UZ": ("central_asian", "998", ("Tashkent", "Samarkand")),
    "KZ": ("central_asian", "7", ("Almaty", "Astana")),
    "NG": ("west_african", "234", ("Lagos", "Abuja")),
    "GH": ("west_african", "233", ("Accra", "Kumasi")),
    "SN": ("francophone_african", "221", ("Dakar", "Thiès")),
    "CI": ("francophone_african", "225", ("Abidjan",)),
    "IN": ("south_asian", "91", ("Bengaluru", "Pune", "Hyderabad")),
    "LK": ("south_asian", "94", ("Colombo",)),
    "BD": ("south_asian", "880", ("Dhaka",)),
    "NP": ("south_asian", "977", ("Kathmandu",)),
    "EG": ("arabic", "20", ("Cairo", "Alexandria")),
    "MA": ("arabic", "212", ("Rabat", "Casablanca")),
    "TN": ("arabic", "216", ("Tunis", "Sfax")),
    "OM": ("arabic", "968", ("Muscat",)),
}

ORGANISATIONS = {
    OrganisationType.SCIENCE_PARK: ("{city} Science and Technology Park", "{city} Hi-Tech Park", "{city} Technopolis"),
    OrganisationType.INCUBATOR: ("{city} Technology Business Incubator", "{city} Innovation Hub", "{city} Start-up Centre"),
    OrganisationType.UNIVERSITY: ("University of {city}", "{city} Institute of Technology", "{city} Polytechnic University"),
    OrganisationType.GOVERNMENT: ("Ministry of Science and Technology", "National Innovation Agency", "{city} City Government"),
    OrganisationType.COMPANY: ("{city} Software Solutions", "{city} Biotech", "{city} Precision Engineering"),
    OrganisationType.INTERNATIONAL: ("UNESCO Office in {city}", "UNDP Country Office"),
    OrganisationType.OTHER: ("{city} Chamber of Commerce", "{city} Investment Promotion Agency"),
}

POSITIONS = {
    OrganisationType.SCIENCE_PARK: ("Director General", "Deputy Director", "Head of Tenant Services", "Planning Manager",
                                    "International Cooperation Officer"),
    OrganisationType.INCUBATOR: ("Incubation Manager", "Programme Director", "Start-up Coach", "Business Development Officer"),
    OrganisationType.UNIVERSITY: ("Professor", "Associate Professor", "Director, Technology Transfer Office",
                                  "Senior Researcher"),
    OrganisationType.GOVERNMENT: ("Director, Innovation Division", "Senior Policy Officer", "Programme Officer"),
    OrganisationType.COMPANY: ("Chief Executive Officer", "Chief Technology Officer", "Business Development Manager"),
    OrganisationType.INTERNATIONAL: ("Programme Specialist", "Science Officer"),
    OrganisationType.OTHER: ("Executive Director", "Project Coordinator"),
}

DIETARY_NEEDS = ("Halal", "Vegetarian", "No pork", "Vegan", "No seafood", "Lactose-free")


@dataclass(frozen=True)
class Person:
    title: Title | None
    given_name: str
    family_name: str
    email: str
    organisation: str
    position: str
    organisation_type: OrganisationType
    country: str
    phone: str
    dietary_needs: str
    accessibility_needs: str
    needs_visa_letter: bool
    language: str = "en"  # of their emails and documents: Korean for the Korean participants
    name_order: NameOrder = NameOrder.GIVEN_FIRST
    single_name: bool = False
    passport_given_name: str = ""
    passport_family_name: str = ""


def invent_people(rng: random.Random, countries: list[str], count: int, *, type_weights: dict,
                  visa_share: float = 0.0, home: str = "KR") -> list[Person]:
    """`count` different people from `countries` (picked in turn, so each one appears)."""
    people: list[Person] = []
    taken_names: set[tuple[str, str]] = set()
    taken_emails: set[str] = set()
    types, weights = zip(*type_weights.items(), strict=True)
    while len(people) < count:
        country = countries[len(people) % len(countries)] if len(people) < len(countries) else rng.choice(countries)
        group, calling_code, cities = COUNTRIES[country]
        names = NAMES[group]
        woman = rng.random() < 0.45
        given = rng.choice(names.women if woman else names.men)
        family = rng.choice(names.families)
        if (given, family) in taken_names:
            continue
        taken_names.add((given, family))
        city = rng.choice(cities)
        org_type = rng.choices(types, weights)[0]
        organisation = rng.choice(ORGANISATIONS[org_type]).format(city=city)
        position = rng.choice(POSITIONS[org_type])
        email = _unique(f"{_ascii(given)}.{_ascii(family)}@{_initials(organisation)}.example.org", taken_emails)
        people.append(Person(
            title=_title(rng, woman, position),
            given_name=given,
            family_name=family,
            email=email,
            organisation=organisation,
            position=position,
            organisation_type=org_type,
            country=country,
            phone=f"+{calling_code} {rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            dietary_needs=rng.choice(DIETARY_NEEDS) if rng.random() < 0.15 else "",
            accessibility_needs="Wheelchair access, please" if rng.random() < 0.02 else "",
            needs_visa_letter=country != home and rng.random() < visa_share,
            language="ko" if country == "KR" else "en",
            # Vietnamese names are written family name first, also in Latin letters: "Nguyễn Văn An".
            name_order=NameOrder.FAMILY_FIRST if group == "vietnamese" else NameOrder.GIVEN_FIRST,
        ))
    return people


def with_names_as_written(people: list[Person]) -> list[Person]:
    """The forum's first Korean writes her name in Hangul, family name first (김민준, "Kim Minjun" in her
    passport), and its first Indonesian has one name only (Sukarno): the names issue 14 is about. The others
    stay as invented (no random draw is added, so the rest of the demo data does not move)."""
    people = list(people)
    korean = next((i for i, p in enumerate(people) if p.country == "KR"), None)
    if korean is not None:
        person = people[korean]
        people[korean] = dataclasses.replace(
            person, given_name="민준", family_name="김", name_order=NameOrder.FAMILY_FIRST,
            passport_given_name="Minjun", passport_family_name="Kim",
            email=person.email.replace(person.email.split("@")[0], "minjun.kim", 1))
    indonesian = next((i for i, p in enumerate(people) if p.country == "ID"), None)
    if indonesian is not None:
        person = people[indonesian]
        people[indonesian] = dataclasses.replace(
            person, given_name="Sukarno", family_name="", single_name=True,
            email=person.email.replace(person.email.split("@")[0], "sukarno", 1))
    return people


def _title(rng: random.Random, woman: bool, position: str) -> Title | None:
    if "Professor" in position:
        return Title.PROF
    roll = rng.random()
    if roll < 0.2:
        return Title.DR
    if roll < 0.3:
        return None  # the title field is optional, and some leave it empty
    return Title.MS if woman else Title.MR


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")  # the one Vietnamese letter NFKD leaves alone
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def _initials(organisation: str) -> str:
    return "".join(word[0] for word in re.findall(r"[A-Za-z]+", _ascii_words(organisation)) if word[0].isupper()).lower()


def _ascii_words(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _unique(email: str, taken: set[str]) -> str:
    local, domain = email.split("@")
    candidate, n = email, 1
    while candidate in taken:
        n += 1
        candidate = f"{local}{n}@{domain}"
    taken.add(candidate)
    return candidate


def demo_reference(rng: random.Random, code: str, taken: set[str]) -> str:
    """Like references.new_reference, but reproducible; the database is empty, so unique within the run is enough."""
    while True:
        reference = f"{code}-{''.join(rng.choice(ALPHABET) for _ in range(SUFFIX_LENGTH))}"
        if reference not in taken:
            taken.add(reference)
            return reference
