"""Country name tables for flagging: CLDR names plus the aliases, demonyms and capitals news uses.

CLDR (through babel) gives one name per country and language; real articles also say "U.S.", "РФ",
"ҚХР", "Amerika Syarikat", decline names ("Казахстана", "Қазақстанның") and hint at a country with
an adjective ("казахстанский") or a capital ("Astana"). Those extras are data, kept here; how they
are matched lives in :mod:`monitor.core.flags`.

Alias spelling conventions: a leading ``=`` means the alias must appear with exactly this case
("=US" is not "us"); a leading ``!`` means it must also not open a sentence (ru "Того" vs "того").
Everything else must start with a capital letter, except ru/kk demonyms, which are lowercase words.
"""

from __future__ import annotations

from collections.abc import Iterator

from babel import Locale

LANGUAGES = ("en", "ru", "kk", "ms")

#: CLDR territory codes that are not ISO 3166-1 countries, or are blocs (EU, UN, eurozone).
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)

#: Conjunction that replaces "&" in CLDR names, per language.
_AND = {"en": "and", "ru": "и", "kk": "және", "ms": "dan"}

#: Names and abbreviations CLDR lacks, per language; these win over CLDR when a name is shared.
ALIASES: dict[str, dict[str, list[str]]] = {
    "en": {
        "KZ": ["Kazakhstan", "Republic of Kazakhstan", "=RK", "=RoK"],
        "MY": ["Malaysia", "=ISIS Malaysia"],
        "US": ["=US", "=U.S.", "=USA", "=U.S.A.", "United States of America", "America"],
        "GB": [
            "=UK",
            "=U.K.",
            "Britain",
            "Great Britain",
            "England",
            "Scotland",
            "Wales",
            "Northern Ireland",
        ],
        "AE": ["=UAE", "Emirates"],
        "CN": ["=PRC", "People's Republic of China", "Mainland China"],
        "RU": ["Russian Federation"],
        "TR": ["Turkey", "Turkiye", "Republic of Türkiye"],
        "KR": ["Korea", "Republic of Korea", "=ROK"],
        "KP": ["=DPRK", "Democratic People's Republic of Korea"],
        "NL": ["Holland", "Kingdom of the Netherlands"],
        "CD": ["Democratic Republic of the Congo", "=DRC", "=DR Congo"],
        "CG": ["Congo", "Republic of the Congo"],
        "CZ": ["Czech Republic"],
        "MM": ["Myanmar", "Burma"],
        "CI": ["Ivory Coast", "Cote d'Ivoire"],
        "KG": ["Kyrgyz Republic", "Kirghizia"],
        "LA": ["Lao PDR", "Laos"],
        "BN": ["Brunei Darussalam"],
        "VN": ["Viet Nam"],
        "TL": ["East Timor", "Timor Leste"],
        "MK": ["Macedonia"],
        "SZ": ["Swaziland"],
        "CV": ["Cape Verde"],
        "VA": ["Vatican", "Holy See"],
        "SA": ["=KSA", "Kingdom of Saudi Arabia"],
        "IR": ["Islamic Republic of Iran"],
        "SY": ["Syrian Arab Republic"],
        "HK": ["Hong Kong"],
        "MO": ["Macau", "Macao"],
        "PS": ["Palestine", "State of Palestine"],
        "BA": ["Bosnia"],
        "UZ": ["Republic of Uzbekistan"],
        "TJ": ["Republic of Tajikistan"],
        "AZ": ["Republic of Azerbaijan"],
        "BY": ["Republic of Belarus"],
        "SG": ["Republic of Singapore"],
        "ID": ["Republic of Indonesia"],
        "PH": ["Republic of the Philippines"],
        "TH": ["Kingdom of Thailand"],
    },
    "ru": {
        "KZ": ["Республика Казахстан", "=РК"],
        "RU": ["=РФ", "Российская Федерация"],
        "US": ["=США", "Соединенные Штаты Америки", "Америка"],
        "GB": ["Британия", "Соединенное Королевство", "Англия"],
        "CN": ["=КНР", "Китайская Народная Республика"],
        "KR": ["Южная Корея", "Корея"],
        "KP": ["Северная Корея"],
        "TR": ["Турецкая Республика", "Туркия"],
        "MM": ["Мьянма", "Бирма"],
        "CD": ["=ДРК", "Демократическая Республика Конго"],
        "CG": ["Республика Конго"],
        "UZ": ["Республика Узбекистан"],
        "KG": ["Кыргызская Республика", "Киргизия", "Кыргызстан"],
        "TJ": ["Республика Таджикистан"],
        "TM": ["Туркмения"],
        "BY": ["Республика Беларусь", "Белоруссия"],
        "MY": ["Малайзия"],
        "HK": ["Гонконг"],
        "MO": ["Макао"],
        "TG": ["!Того"],
    },
    "kk": {
        "KZ": ["Қазақстан Республикасы", "=ҚР", "=РК"],
        "RU": ["Ресей Федерациясы", "=РФ"],
        "US": ["=АҚШ", "Америка"],
        "CN": ["=ҚХР", "Қытай Халық Республикасы"],
        "GB": ["Британия", "Англия"],
        "TR": ["Түркия Республикасы", "Түркия"],
        "KR": ["Корея", "Корея Республикасы"],
        "KP": ["=КХДР"],
        "AE": ["=БАӘ"],
        "UZ": ["Өзбекстан Республикасы"],
        "KG": ["Қырғыз Республикасы"],
        "MM": ["Мьянма", "Бирма"],
        "HK": ["Гонконг"],
        "TG": ["!Того"],
        "AZ": ["Әзербайжан"],
        "TH": ["Тайланд"],
        "PH": ["Филиппин"],
        "AU": ["Австралия"],
    },
    "ms": {
        "US": ["=AS", "Amerika", "Amerika Syarikat"],
        "CN": ["Cina", "Tiongkok", "Republik Rakyat China"],
        "GB": ["Britain", "=UK", "England"],
        "AE": ["=UAE"],
        "TR": ["Turki", "Türkiye"],
        "KR": ["Korea"],
        "VN": ["Vietnam"],
        "KH": ["Kemboja"],
        "PH": ["Filipina"],
        "SG": ["Singapura"],
        "MM": ["Myanmar"],
        "SA": ["Arab Saudi"],
        "NL": ["Belanda"],
        "LA": ["Laos"],
        "TL": ["Timor Leste"],
    },
}

#: Phrases that contain a country name but do not refer to the country; they shadow it.
BLOCKERS: dict[str, list[str]] = {
    "en": [
        "New Mexico",
        "New Jersey",
        "Jersey City",
        "New South Wales",
        "New England",
        "New Guinea",
        "Guinea pig",
        "Guinea pigs",
        "Guinea fowl",
        "University of Georgia",
        "Georgia Tech",
        "Georgia State",
        "state of Georgia",
        "State of Georgia",
        "Georgia's governor",
        "Georgia governor",
        "Governor of Georgia",
        "Georgia's legislature",
        "Georgia Senate",
        "Georgia voters",
        "Georgia Republicans",
        "Georgia Democrats",
        "Georgia Bulldogs",
        "Atlanta, Georgia",
        "Savannah, Georgia",
        "Athens, Georgia",
        "Augusta, Georgia",
        "Macon, Georgia",
        "Columbus, Georgia",
        "Georgia, USA",
        "Georgia, U.S.",
        "Islamic State of Iraq and Syria",
        "Islamic State of Iraq and the Levant",
        "Islamic State in Iraq and Syria",
        "Islamic State in Iraq and the Levant",
        "Islamic State of Iraq and al-Sham",
        "Islamic State in Iraq",
        "Islamic State of Iraq",
        "ISIS",
        "ISIL",
        "Indian Ocean",
        "American Indian",
        "Native American",
        "Native Americans",
        "South China Sea",
        "East China Sea",
        "Latin America",
        "South America",
        "North America",
        "Central America",
        "Latin American",
        "South American",
        "North American",
        "Central American",
        "Americas",
        "George Washington",
        "Washington Post",
        "Washington State",
        "Washington state",
        "University of Washington",
        "Turkey Point",
        "Chad Basin",
    ],
    "ru": [
        "Исламское государство Ирака и Леванта",
        "Исламское государство Ирака и Сирии",
        "ИГИЛ",
        "ДАИШ",
        "Нью-Мексико",
        "Нью-Джерси",
        "Латинская Америка",
        "Южная Америка",
        "Северная Америка",
        "Центральная Америка",
        "Новая Гвинея",
        "Южно-Китайское море",
        "Восточно-Китайское море",
    ],
    "kk": [
        "Ирак және Шам ислам мемлекеті",
        "Ирак пен Шам ислам мемлекеті",
        "ДАИШ",
        "ИГИЛ",
        "Латын Америкасы",
        "Оңтүстік Америка",
        "Солтүстік Америка",
        "Орталық Америка",
        "Оңтүстік Қытай теңізі",
        "Шығыс Қытай теңізі",
    ],
    "ms": [
        "Negara Islam Iraq dan Syria",
        "Negara Islam Iraq dan Levant",
        "ISIS",
        "ISIL",
        "Laut China Selatan",
        "Laut China Timur",
        "Amerika Latin",
        "Amerika Selatan",
        "Amerika Utara",
        "Amerika Tengah",
        "Lautan Hindi",
    ],
}

#: Names that are also given names in English: "Chad Smith", "Michael Jordan" are people.
PERSON_HOMONYMS = frozenset({"chad", "jordan", "georgia"})

#: Adjectives and names of inhabitants: weak evidence, per language, "|"-separated.
#: ru entries ending in "ск"/"цк" are adjective stems and get every adjective ending.
DEMONYMS: dict[str, dict[str, str]] = {
    "en": {
        "KZ": "Kazakh|Kazakhs|Kazakhstani|Kazakhstanis",
        "MY": "Malaysian|Malaysians",
        "RU": "Russian|Russians",
        "CN": "Chinese",
        "US": "American|Americans",
        "GB": "British|Briton|Britons",
        "UZ": "Uzbek|Uzbeks|Uzbekistani",
        "KG": "Kyrgyz|Kyrgyzstani",
        "TJ": "Tajik|Tajiks|Tajikistani",
        "TM": "Turkmen",
        "AF": "Afghan|Afghans",
        "IR": "Iranian|Iranians",
        "TR": "Turkish",
        "JP": "Japanese",
        "KR": "Korean|Koreans|South Korean|South Koreans",
        "KP": "North Korean",
        "IN": "Indian|Indians",
        "DE": "German|Germans",
        "FR": "French",
        "IT": "Italian",
        "ES": "Spanish",
        "ID": "Indonesian|Indonesians",
        "SG": "Singaporean|Singaporeans",
        "TH": "Thai",
        "VN": "Vietnamese",
        "PH": "Filipino|Filipinos|Philippine",
        "BN": "Bruneian",
        "KH": "Cambodian",
        "LA": "Laotian",
        "MM": "Burmese",
        "PK": "Pakistani",
        "SA": "Saudi",
        "AE": "Emirati",
        "QA": "Qatari",
        "IL": "Israeli",
        "PS": "Palestinian|Palestinians",
        "EG": "Egyptian",
        "AZ": "Azerbaijani",
        "GE": "Georgian",
        "AM": "Armenian",
        "BY": "Belarusian",
        "UA": "Ukrainian|Ukrainians",
        "PL": "Polish",
        "MN": "Mongolian",
        "AU": "Australian",
        "CA": "Canadian",
        "BR": "Brazilian",
        "MX": "Mexican",
        "IQ": "Iraqi|Iraqis",
        "SY": "Syrian|Syrians",
        "NL": "Dutch",
        "CH": "Swiss",
        "SE": "Swedish",
        "NO": "Norwegian",
        "FI": "Finnish",
        "BD": "Bangladeshi",
        "LK": "Sri Lankan",
        "NZ": "New Zealander",
    },
    "ru": {
        "KZ": "казахстанск|казахск|казахстанец|казахстанцы|казахстанцев|казахстанцам|казахи",
        "MY": "малайзийск|малазийск|малайзийцы|малайзийцев",
        "RU": "российск|русск|россияне|россиян",
        "CN": "китайск|китайцы|китайцев",
        "US": "американск|американцы|американцев",
        "GB": "британск|английск",
        "UZ": "узбекистанск|узбекск",
        "KG": "кыргызстанск|кыргызск|киргизск",
        "TJ": "таджикистанск|таджикск",
        "TM": "туркменистанск|туркменск",
        "AF": "афганск",
        "IR": "иранск",
        "TR": "турецк",
        "JP": "японск",
        "KR": "южнокорейск|корейск",
        "IN": "индийск",
        "DE": "германск|немецк",
        "FR": "французск",
        "ID": "индонезийск",
        "SG": "сингапурск",
        "TH": "таиландск|тайск",
        "VN": "вьетнамск",
        "PH": "филиппинск",
        "PK": "пакистанск",
        "AZ": "азербайджанск",
        "GE": "грузинск",
        "BY": "белорусск",
        "UA": "украинск",
        "MN": "монгольск",
        "SA": "саудовск",
        "AE": "эмиратск",
        "IL": "израильск",
        "EG": "египетск",
    },
    "kk": {
        "KZ": "қазақстандық",
        "MY": "малайзиялық",
        "RU": "ресейлік",
        "CN": "қытайлық",
        "US": "американдық",
        "GB": "британдық",
        "UZ": "өзбекстандық|өзбек",
        "KG": "қырғызстандық|қырғыз",
        "TJ": "тәжікстандық|тәжік",
        "TM": "түрікменстандық",
        "TR": "түркиялық|түрік",
        "JP": "жапондық|жапон",
        "KR": "корейлік|оңтүстіккореялық",
        "IN": "үндістандық",
        "DE": "германиялық|неміс",
        "FR": "француздық|француз",
        "ID": "индонезиялық",
        "SG": "сингапурлық",
        "TH": "таиландтық",
        "VN": "вьетнамдық",
        "AF": "ауғандық|ауған",
        "IR": "ирандық",
        "PK": "пәкістандық",
        "AZ": "әзербайжандық",
        "BY": "беларусьтік",
        "UA": "украиналық",
        "MN": "моңғолиялық",
        "PH": "филиппиндік",
    },
    "ms": {},
}

#: Capitals that stand for the state ("Astana said"): weak evidence that never flags on its own.
CAPITALS: dict[str, dict[str, str]] = {
    "en": {
        "KZ": "Astana|Nur-Sultan",
        "MY": "Putrajaya|Kuala Lumpur",
        "RU": "Moscow",
        "CN": "Beijing",
        "US": "Washington",
        "GB": "London",
        "UZ": "Tashkent",
        "KG": "Bishkek",
        "TJ": "Dushanbe",
        "TM": "Ashgabat",
        "AF": "Kabul",
        "IR": "Tehran",
        "TR": "Ankara",
        "JP": "Tokyo",
        "KR": "Seoul",
        "KP": "Pyongyang",
        "IN": "New Delhi",
        "DE": "Berlin",
        "FR": "Paris",
        "ID": "Jakarta",
        "TH": "Bangkok",
        "VN": "Hanoi",
        "PH": "Manila",
        "BN": "Bandar Seri Begawan",
        "KH": "Phnom Penh",
        "LA": "Vientiane",
        "MM": "Naypyidaw",
        "PK": "Islamabad",
        "AZ": "Baku",
        "GE": "Tbilisi",
        "AM": "Yerevan",
        "BY": "Minsk",
        "UA": "Kyiv|Kiev",
        "MN": "Ulaanbaatar",
        "SA": "Riyadh",
        "AE": "Abu Dhabi",
        "QA": "Doha",
        "EG": "Cairo",
        "AU": "Canberra",
        "CA": "Ottawa",
        "IT": "Rome",
        "ES": "Madrid",
        "PL": "Warsaw",
    },
    "ru": {
        "KZ": "Астана|Нур-Султан",
        "MY": "Путраджая|Куала-Лумпур",
        "RU": "Москва",
        "CN": "Пекин",
        "US": "Вашингтон",
        "GB": "Лондон",
        "UZ": "Ташкент",
        "KG": "Бишкек",
        "TJ": "Душанбе",
        "TM": "Ашхабад",
        "AF": "Кабул",
        "IR": "Тегеран",
        "TR": "Анкара",
        "JP": "Токио",
        "KR": "Сеул",
        "IN": "Нью-Дели",
        "DE": "Берлин",
        "FR": "Париж",
        "ID": "Джакарта",
        "TH": "Бангкок",
        "VN": "Ханой",
        "PK": "Исламабад",
        "AZ": "Баку",
        "GE": "Тбилиси",
        "AM": "Ереван",
        "BY": "Минск",
        "UA": "Киев",
        "MN": "Улан-Батор",
    },
    "kk": {
        "KZ": "Астана|Нұр-Сұлтан",
        "MY": "Путраджайя|Куала-Лумпур",
        "RU": "Мәскеу",
        "CN": "Бейжің|Пекин",
        "US": "Вашингтон",
        "GB": "Лондон",
        "UZ": "Ташкент",
        "KG": "Бішкек",
        "TJ": "Душанбе",
        "TM": "Ашхабад",
        "TR": "Анкара",
        "JP": "Токио",
        "KR": "Сеул",
        "DE": "Берлин",
        "FR": "Париж",
        "AZ": "Баку",
        "BY": "Минск",
    },
    "ms": {
        "KZ": "Astana",
        "MY": "Putrajaya|Kuala Lumpur",
        "RU": "Moscow",
        "CN": "Beijing",
        "US": "Washington",
        "GB": "London",
        "UZ": "Tashkent",
        "JP": "Tokyo",
        "KR": "Seoul",
        "ID": "Jakarta",
        "TH": "Bangkok",
        "VN": "Hanoi",
        "PH": "Manila",
        "BN": "Bandar Seri Begawan",
        "KH": "Phnom Penh",
        "SG": "Singapura",
    },
}


def cldr_names(language: str) -> Iterator[tuple[str, str]]:
    """Yield (code, name) for every ISO country in CLDR, names cleaned into matchable phrases."""
    for code, name in Locale.parse(language).territories.items():
        if len(code) != 2 or not code.isalpha() or code in NOT_COUNTRIES:
            continue
        name = name.split(" (", 1)[0].replace(" SAR China", "").replace(" SAR", "")
        if " - " in name:  # "Congo - Kinshasa" is CLDR's disambiguation, not a name in use
            continue
        yield code, name
        if "&" in name:
            yield code, name.replace("&", _AND[language])


_RU_ADJ_ENDINGS = (
    "ий",
    "ая",
    "ое",
    "ие",
    "ого",
    "ому",
    "им",
    "ом",
    "ой",
    "ую",
    "их",
    "ими",
    "ые",
    "ым",
    "ыми",
    "ых",
    "о",
)


def ru_forms(word: str) -> set[str]:
    """Russian case forms of one lowercase word of a name, generated from its nominative."""
    w = word
    if not _is_cyrillic(w):
        return {w}
    if w.endswith(("ск", "цк")):  # adjective stem from the demonym table
        return {w + e for e in _RU_ADJ_ENDINGS}
    if w.endswith("ия"):
        b = w[:-1]
        return {w, b + "и", b + "ю", b + "ей", b + "ею"}
    if w.endswith(("ая", "яя")):
        b = w[:-2]
        return {w, b + "ой", b + "ую", b + "ою", b + "ей", b + "юю"}
    if w.endswith(("ый", "ий", "ой", "ое", "ее")):
        b = w[:-2]
        return {w} | {b + e for e in ("ого", "ому", "ым", "им", "ом", "ем", "его", "ему")}
    if w.endswith(("ые", "ие")):
        b = w[:-2]
        return {w} | {b + e for e in ("ых", "их", "ым", "им", "ыми", "ими")}
    if w.endswith("ы"):
        b = w[:-1]
        return {w, b, b + "ов", b + "ам", b + "ами", b + "ах"}
    if w.endswith("я"):
        b = w[:-1]
        return {w, b + "и", b + "ю", b + "ей", b + "е", b + "ею"}
    if w.endswith("а"):
        b = w[:-1]
        return {w, b + "ы", b + "и", b + "е", b + "у", b + "ой", b + "ою"}
    if w.endswith(("й", "ь")):
        b = w[:-1]
        return {w, b + "я", b + "ю", b + "ем", b + "е", b + "и"}
    if w.endswith("ство"):
        b = w[:-1]
        return {w, b + "а", b + "у", b + "ом", b + "е"}
    if w[-1] in "оеуиюэ":
        return {w}
    return {w, w + "а", w + "у", w + "ом", w + "е", w + "ы", w + "ов", w + "ам", w + "ах"}


#: Kazakh case, possessive and locative-adjective suffixes; all harmony variants are generated
#: because over-generating a form of a proper name costs nothing and misses are what hurt.
_KK_CASES = (
    "",
    "ның",
    "нің",
    "дың",
    "дің",
    "тың",
    "тің",
    "ға",
    "ге",
    "қа",
    "ке",
    "на",
    "не",
    "а",
    "е",
    "да",
    "де",
    "та",
    "те",
    "нда",
    "нде",
    "дан",
    "ден",
    "тан",
    "тен",
    "нан",
    "нен",
    "мен",
    "бен",
    "пен",
    "ды",
    "ді",
    "ты",
    "ті",
    "ны",
    "ні",
    "н",
    "дағы",
    "дегі",
    "тағы",
    "тегі",
    "ндағы",
    "ндегі",
    "дай",
    "дей",
    "тай",
    "тей",
    "ша",
    "ше",
    "мыз",
    "міз",
    "ымыз",
    "іміз",
    "ымызда",
    "іміздің",
    "ымыздың",
    "ымызға",
    "імізге",
    "ымызды",
)
_KK_POSSESSIVE = ("ы", "і", "сы", "сі")
_KK_AFTER_POSSESSIVE = (
    "",
    "ның",
    "нің",
    "на",
    "не",
    "нда",
    "нде",
    "нан",
    "нен",
    "н",
    "мен",
    "ндағы",
    "ндегі",
)
_KK_PLURAL = ("", "лар", "лер", "дар", "дер", "тар", "тер")


def kk_forms(word: str, *, plural: bool = False) -> set[str]:
    """Kazakh inflected forms of one lowercase word: optional plural, possessive, then case."""
    if not _is_cyrillic(word) or word.isupper():
        return {word}
    out: set[str] = set()
    for pl in _KK_PLURAL if plural else ("",):
        out.update(word + pl + case for case in _KK_CASES)
        for poss in _KK_POSSESSIVE:
            out.update(word + pl + poss + case for case in _KK_AFTER_POSSESSIVE)
    return out


def _is_cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)
