"""Plausible institute news in en/ru/kk/ms, generated from pools with a seed.

A *story* is one event (a memorandum signed, a conference held, a visit, a report): its facts
(partner, people, topic, city, figures, day) are drawn once, and every article of the story (a
repost under another title, a translation, a follow-up) is written from the same facts with
other words. Flags follow from the facts alone: an agreement (``mou``) or a partner from one of
the chosen countries (``CHOSEN``) makes a story's articles flagged, except a follow-up written
without the agreement words.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

#: The countries the bench configures (``countries:`` in sources.yaml): a mention flags.
CHOSEN = ("MY", "UZ")

LANGS = ("en", "ru", "kk", "ms")

# partner organisations: code, country, names per language (country names inside on purpose)
PARTNERS: list[tuple[str, str, dict[str, str]]] = [
    ("isis", "MY", {
        "en": "the Institute of Strategic and International Studies (ISIS) Malaysia",
        "ru": "Институт стратегических и международных исследований (ISIS) Малайзии",
        "kk": "Малайзияның Стратегиялық және халықаралық зерттеулер институты (ISIS)",
        "ms": "Institut Kajian Strategik dan Antarabangsa (ISIS) Malaysia"}),
    ("isrs", "UZ", {
        "en": "the Institute for Strategic and Regional Studies of Uzbekistan",
        "ru": "Институт стратегических и межрегиональных исследований Узбекистана",
        "kk": "Өзбекстанның Стратегиялық және өңіраралық зерттеулер институты",
        "ms": "Institut Kajian Strategik dan Serantau Uzbekistan"}),
    ("siis", "CN", {
        "en": "the Shanghai Institutes for International Studies",
        "ru": "Шанхайская академия международных исследований",
        "kk": "Шанхай халықаралық зерттеулер академиясы",
        "ms": "Institut Kajian Antarabangsa Shanghai"}),
    ("dgap", "DE", {
        "en": "the German Council on Foreign Relations",
        "ru": "Германский совет по внешней политике",
        "kk": "Германияның Сыртқы саясат жөніндегі кеңесі",
        "ms": "Majlis Hubungan Luar Jerman"}),
    ("kiep", "KR", {
        "en": "the Korea Institute for International Economic Policy",
        "ru": "Корейский институт международной экономической политики",
        "kk": "Корея халықаралық экономикалық саясат институты",
        "ms": "Institut Dasar Ekonomi Antarabangsa Korea"}),
    ("sam", "TR", {
        "en": "the Center for Strategic Research of Türkiye",
        "ru": "Центр стратегических исследований Турции",
        "kk": "Түркияның Стратегиялық зерттеулер орталығы",
        "ms": "Pusat Penyelidikan Strategik Turkiye"}),
    ("nisi", "KG", {
        "en": "the National Institute for Strategic Studies of Kyrgyzstan",
        "ru": "Национальный институт стратегических исследований Кыргызстана",
        "kk": "Қырғызстанның Ұлттық стратегиялық зерттеулер институты",
        "ms": "Institut Kebangsaan Kajian Strategik Kyrgyzstan"}),
    ("jiia", "JP", {
        "en": "the Japan Institute of International Affairs",
        "ru": "Японский институт международных отношений",
        "kk": "Жапонияның Халықаралық қатынастар институты",
        "ms": "Institut Hal Ehwal Antarabangsa Jepun"}),
    ("csis", "ID", {
        "en": "the Centre for Strategic and International Studies of Indonesia",
        "ru": "Центр стратегических и международных исследований Индонезии",
        "kk": "Индонезияның Стратегиялық және халықаралық зерттеулер орталығы",
        "ms": "Pusat Kajian Strategik dan Antarabangsa Indonesia"}),
    ("mts", "TJ", {
        "en": "the Center for Strategic Studies under the President of Tajikistan",
        "ru": "Центр стратегических исследований при Президенте Таджикистана",
        "kk": "Тәжікстан Президенті жанындағы Стратегиялық зерттеулер орталығы",
        "ms": "Pusat Kajian Strategik Tajikistan"}),
    ("ifri", "FR", {
        "en": "the French Institute of International Relations",
        "ru": "Французский институт международных отношений",
        "kk": "Францияның Халықаралық қатынастар институты",
        "ms": "Institut Hubungan Antarabangsa Perancis"}),
    ("orf", "IN", {
        "en": "the Observer Research Foundation of India",
        "ru": "Фонд исследований «Обсервер» Индии",
        "kk": "Үндістанның «Обсервер» зерттеу қоры",
        "ms": "Yayasan Penyelidikan Observer India"}),
]  # fmt: skip

TOPICS = [
    {"en": "energy security", "ru": "энергетической безопасности", "kk": "энергетикалық қауіпсіздік", "ms": "keselamatan tenaga"},
    {"en": "water resources", "ru": "водных ресурсов", "kk": "су ресурстары", "ms": "sumber air"},
    {"en": "the digital economy", "ru": "цифровой экономики", "kk": "цифрлық экономика", "ms": "ekonomi digital"},
    {"en": "transport corridors", "ru": "транспортных коридоров", "kk": "көлік дәліздері", "ms": "koridor pengangkutan"},
    {"en": "food security", "ru": "продовольственной безопасности", "kk": "азық-түлік қауіпсіздігі", "ms": "keselamatan makanan"},
    {"en": "climate adaptation", "ru": "адаптации к изменению климата", "kk": "климаттың өзгеруіне бейімделу", "ms": "penyesuaian iklim"},
    {"en": "critical minerals", "ru": "критически важных минералов", "kk": "сыни маңызды минералдар", "ms": "mineral kritikal"},
    {"en": "nuclear non-proliferation", "ru": "ядерного нераспространения", "kk": "ядролық қаруды таратпау", "ms": "pencegahan percambahan nuklear"},
    {"en": "migration policy", "ru": "миграционной политики", "kk": "көші-қон саясаты", "ms": "dasar migrasi"},
    {"en": "artificial intelligence governance", "ru": "регулирования искусственного интеллекта", "kk": "жасанды интеллектті реттеу", "ms": "tadbir urus kecerdasan buatan"},
    {"en": "regional connectivity", "ru": "региональной взаимосвязанности", "kk": "өңірлік байланыс", "ms": "ketersambungan serantau"},
    {"en": "the green economy", "ru": "зелёной экономики", "kk": "жасыл экономика", "ms": "ekonomi hijau"},
    {"en": "cybersecurity", "ru": "кибербезопасности", "kk": "киберқауіпсіздік", "ms": "keselamatan siber"},
    {"en": "youth employment", "ru": "занятости молодёжи", "kk": "жастарды жұмыспен қамту", "ms": "pekerjaan belia"},
]  # fmt: skip

CITIES = [
    {"en": "Astana", "ru": "Астане", "kk": "Астанада", "ms": "Astana"},
    {"en": "Almaty", "ru": "Алматы", "kk": "Алматыда", "ms": "Almaty"},
    {"en": "Shymkent", "ru": "Шымкенте", "kk": "Шымкентте", "ms": "Shymkent"},
    {"en": "Karaganda", "ru": "Караганде", "kk": "Қарағандыда", "ms": "Karaganda"},
    {"en": "Aktobe", "ru": "Актобе", "kk": "Ақтөбеде", "ms": "Aktobe"},
    {"en": "Turkistan", "ru": "Туркестане", "kk": "Түркістанда", "ms": "Turkistan"},
]  # fmt: skip

# people: (latin, cyrillic) given and family names; a woman's family name gets -a / -а
GIVEN_M = [
    ("Aidar", "Айдар"),
    ("Nurlan", "Нурлан"),
    ("Yerlan", "Ерлан"),
    ("Marat", "Марат"),
    ("Timur", "Тимур"),
    ("Daulet", "Даулет"),
    ("Askar", "Аскар"),
    ("Bolat", "Болат"),
    ("Serik", "Серик"),
    ("Kanat", "Канат"),
    ("Azamat", "Азамат"),
    ("Ruslan", "Руслан"),
]
GIVEN_F = [
    ("Aigerim", "Айгерим"),
    ("Dana", "Дана"),
    ("Saule", "Сауле"),
    ("Gulnara", "Гульнара"),
    ("Madina", "Мадина"),
    ("Zhanar", "Жанар"),
    ("Aliya", "Алия"),
    ("Asel", "Асель"),
    ("Dinara", "Динара"),
    ("Kamila", "Камила"),
]
FAMILY = [
    ("Nurlanov", "Нурланов"),
    ("Sadykov", "Садыков"),
    ("Abenov", "Абенов"),
    ("Zhaksybekov", "Жаксыбеков"),
    ("Ospanov", "Оспанов"),
    ("Tokayev", "Токаев"),
    ("Baimukhanov", "Баймуханов"),
    ("Kenzhebayev", "Кенжебаев"),
    ("Iskakov", "Искаков"),
    ("Mukhamedov", "Мухамедов"),
    ("Suleimenov", "Сулейменов"),
    ("Rakhimov", "Рахимов"),
    ("Omarov", "Омаров"),
    ("Bekov", "Беков"),
    ("Yesenov", "Есенов"),
    ("Kassymov", "Касымов"),
]
FOREIGN = [("Ahmad Faiz", "Ахмад Файз"), ("Lim Wei Jie", "Лим Вэй Цзе"), ("Chen Hao", "Чэнь Хао"),
           ("Klaus Weber", "Клаус Вебер"), ("Park Min-jun", "Пак Мин Джун"),
           ("Mehmet Yilmaz", "Мехмет Йылмаз"), ("Kenji Sato", "Кэндзи Сато"),
           ("Nurul Huda", "Нурул Худа"), ("Claire Martin", "Клэр Мартен"),
           ("Rahul Mehta", "Рахул Мехта"), ("Farrukh Alimov", "Фаррух Алимов"),
           ("Siti Aminah", "Сити Амина")]  # fmt: skip

FOREIGN_WOMEN = {"Nurul Huda", "Claire Martin", "Siti Aminah"}

KINDS = ("mou", "conference", "visit", "report", "roundtable", "seminar")

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"],
    "kk": ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
           "қыркүйек", "қазан", "қараша", "желтоқсан"],
    "ms": ["Januari", "Februari", "Mac", "April", "Mei", "Jun", "Julai", "Ogos", "September",
           "Oktober", "November", "Disember"],
}  # fmt: skip


@dataclass(frozen=True)
class Person:
    latin: str
    cyrillic: str
    foreign: bool
    female: bool = False


@dataclass(frozen=True)
class Story:
    """The facts of one event; every article of it is written from these."""

    id: str
    kind: str
    partner: int  # index in PARTNERS
    topic: int
    city: int
    host: Person  # of the reporting institute
    guest: Person  # of the partner
    participants: int
    figure: int  # a second number (pages of a report, projects, percent)
    year: int
    day_offset: int  # days before "today" when it happened

    @property
    def flagged(self) -> bool:
        return self.kind == "mou" or PARTNERS[self.partner][1] in CHOSEN


def person(rng: random.Random, foreign: bool = False) -> Person:
    if foreign:
        latin, cyr = rng.choice(FOREIGN)
        return Person(latin, cyr, True, latin in FOREIGN_WOMEN)
    female = rng.random() < 0.4
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    fam = rng.choice(FAMILY)
    suffix = ("a", "а") if female else ("", "")
    return Person(f"{given[0]} {fam[0]}{suffix[0]}", f"{given[1]} {fam[1]}{suffix[1]}", False)


def make_story(
    rng: random.Random,
    sid: str,
    day_offset: int,
    *,
    flagged: bool | None = None,
    kind: str | None = None,
    numbers: tuple[int, int] | None = None,
    partner: int | None = None,
) -> Story:
    """A new event; ``flagged`` forces the outcome (partner and kind are drawn to match)."""
    for _ in range(200):
        k = kind or rng.choice(KINDS)
        p = partner if partner is not None else rng.randrange(len(PARTNERS))
        if k == "report":
            p = p if partner is not None else rng.randrange(2, len(PARTNERS))
        s = Story(
            id=sid, kind=k, partner=p, topic=rng.randrange(len(TOPICS)),
            city=rng.randrange(len(CITIES)), host=person(rng), guest=person(rng, True),
            participants=numbers[0] if numbers else rng.choice(range(20, 400, 5)),
            figure=numbers[1] if numbers else rng.randrange(3, 90),
            year=2026, day_offset=day_offset,
        )  # fmt: skip
        if flagged is None or s.flagged == flagged:
            return s
    raise RuntimeError("no story matches")


def name(p: Person, lang: str) -> str:
    return p.cyrillic if lang in ("ru", "kk") else p.latin


# -- titles: several per kind and language, so that reposts carry different headlines ----

TITLES: dict[str, dict[str, list[str]]] = {
    "mou": {
        "en": ["{org} and {partner_short} sign a memorandum on {topic}",
               "Memorandum of understanding signed with {partner_short}",
               "New memorandum of cooperation on {topic} with {partner_short}",
               "{org} and {partner_short} agree a memorandum of understanding"],
        "ru": ["{org} и {partner_short} подписали меморандум о сотрудничестве",
               "Подписан меморандум о взаимопонимании в сфере {topic}",
               "Меморандум о сотрудничестве с партнёрами: {partner_short}",
               "{org} заключил меморандум с {partner_short}"],
        "kk": ["{org} мен {partner_short} ынтымақтастық туралы меморандумға қол қойды",
               "{topic} саласында өзара түсіністік туралы меморандум жасалды",
               "Серіктестермен жаңа меморандум: {partner_short}"],
        "ms": ["{org} dan {partner_short} menandatangani memorandum persefahaman",
               "Memorandum persefahaman mengenai {topic} dimeterai",
               "MoU baharu bersama {partner_short} mengenai {topic}"],
    },
    "mou_followup": {
        "en": ["{org} and {partner_short} discuss joint projects on {topic}",
               "Joint projects on {topic}: next steps with {partner_short}"],
        "ru": ["{org} и {partner_short} обсудили совместные проекты",
               "Совместные проекты в сфере {topic}: следующие шаги"],
        "kk": ["{org} мен {partner_short} бірлескен жобаларды талқылады",
               "{topic} саласындағы бірлескен жобалар: келесі қадамдар"],
        "ms": ["{org} dan {partner_short} membincangkan projek bersama",
               "Projek bersama mengenai {topic}: langkah seterusnya"],
    },
    "conference": {
        "en": ["International conference on {topic} held in {city}",
               "{city} hosts a conference on {topic}",
               "Experts discuss {topic} at a conference in {city}"],
        "ru": ["В {city} прошла международная конференция по вопросам {topic}",
               "Эксперты обсудили проблемы {topic} на конференции",
               "Конференция по вопросам {topic}: итоги"],
        "kk": ["{city} {topic} мәселелері бойынша халықаралық конференция өтті",
               "Сарапшылар конференцияда {topic} мәселесін талқылады"],
        "ms": ["Persidangan antarabangsa mengenai {topic} diadakan di {city}",
               "Pakar membincangkan {topic} dalam persidangan di {city}"],
    },
    "visit": {
        "en": ["A delegation of {partner_short} visits {org}",
               "{guest} meets researchers of {org}",
               "Experts of {partner_short} on a visit to {city}"],
        "ru": ["Делегация {partner_short} посетила {org}",
               "{guest} встретил{sya_g} с экспертами {org}",
               "Визит делегации: {partner_short} в {city}"],
        "kk": ["{partner_short} делегациясы {org} келді",
               "{guest} {org} сарапшыларымен кездесті"],
        "ms": ["Delegasi {partner_short} melawat {org}",
               "{guest} bertemu penyelidik {org}"],
    },
    "report": {
        "en": ["{org} presents a report on {topic}",
               "New report: {topic} in Central Asia",
               "{host} presents findings on {topic}"],
        "ru": ["{org} представил доклад по вопросам {topic}",
               "Новый доклад о проблемах {topic}",
               "{host} представил{a_h} результаты исследования"],
        "kk": ["{org} {topic} бойынша баяндама ұсынды",
               "{topic} туралы жаңа баяндама жарияланды"],
        "ms": ["{org} membentangkan laporan mengenai {topic}",
               "Laporan baharu mengenai {topic} di Asia Tengah"],
    },
    "roundtable": {
        "en": ["Round table on {topic} with {partner_short}",
               "{org} holds a round table on {topic}"],
        "ru": ["Круглый стол по вопросам {topic}",
               "В {org} прошёл круглый стол о проблемах {topic}"],
        "kk": ["{topic} мәселесі бойынша дөңгелек үстел өтті",
               "{org} дөңгелек үстел ұйымдастырды"],
        "ms": ["Meja bulat mengenai {topic} bersama {partner_short}",
               "{org} menganjurkan meja bulat mengenai {topic}"],
    },
    "seminar": {
        "en": ["Seminar on {topic} for young researchers",
               "{guest} gives a lecture on {topic}"],
        "ru": ["Семинар по вопросам {topic} для молодых исследователей",
               "{guest} прочитал{a_g} лекцию о проблемах {topic}"],
        "kk": ["Жас зерттеушілерге арналған {topic} семинары",
               "{guest} {topic} тақырыбында дәріс оқыды"],
        "ms": ["Seminar mengenai {topic} untuk penyelidik muda",
               "{guest} menyampaikan syarahan mengenai {topic}"],
    },
}  # fmt: skip

# -- body sentences: what every kind says, then what each kind adds --------------------------

LEAD: dict[str, dict[str, list[str]]] = {
    "mou": {
        "en": ["On {date}, {org} and {partner} signed a memorandum of understanding on cooperation in {topic}.",
               "A memorandum of understanding between {org} and {partner} was signed in {city} on {date}."],
        "ru": ["{date} {org} и {partner} подписали меморандум о взаимопонимании и сотрудничестве в области {topic}.",
               "В {city} {date} был подписан меморандум о сотрудничестве между {org} и {partner}."],
        "kk": ["{date} {org} мен {partner} {topic} саласындағы ынтымақтастық туралы өзара түсіністік меморандумына қол қойды.",
               "{city} {date} {org} мен {partner} арасында ынтымақтастық туралы меморандум жасалды."],
        "ms": ["Pada {date}, {org} dan {partner} menandatangani memorandum persefahaman mengenai kerjasama dalam {topic}.",
               "Satu memorandum persefahaman antara {org} dan {partner} telah dimeterai di {city} pada {date}."],
    },
    "mou_followup": {
        "en": ["On {date}, researchers of {org} and {partner_short} met again in {city} to discuss joint projects on {topic}."],
        "ru": ["{date} эксперты {org} и {partner_short} вновь встретились в {city}, чтобы обсудить совместные проекты в сфере {topic}."],
        "kk": ["{date} {org} және {partner_short} сарапшылары {city} қайта кездесіп, {topic} саласындағы бірлескен жобаларды талқылады."],
        "ms": ["Pada {date}, penyelidik {org} dan {partner_short} bertemu semula di {city} untuk membincangkan projek bersama mengenai {topic}."],
    },
    "conference": {
        "en": ["On {date}, {city} hosted an international conference on {topic}, organised by {org} together with {partner}."],
        "ru": ["{date} в {city} состоялась международная конференция по вопросам {topic}, организованная {org} совместно с {partner}."],
        "kk": ["{date} {city} {org} {partner} бірлесіп ұйымдастырған {topic} мәселелері бойынша халықаралық конференция өтті."],
        "ms": ["Pada {date}, {city} menjadi tuan rumah persidangan antarabangsa mengenai {topic} anjuran {org} bersama {partner}."],
    },
    "visit": {
        "en": ["On {date}, a delegation of {partner} led by {guest} visited {org} in {city}."],
        "ru": ["{date} {org} посетила делегация: {partner}, которую возглавил{a_g} {guest}."],
        "kk": ["{date} {org} {guest} бастаған делегация келді: {partner}."],
        "ms": ["Pada {date}, delegasi {partner} yang diketuai oleh {guest} telah melawat {org} di {city}."],
    },
    "report": {
        "en": ["On {date}, {org} presented its annual report on {topic}, prepared by a team led by {host}."],
        "ru": ["{date} {org} представил ежегодный доклад по вопросам {topic}, подготовленный группой под руководством {host}."],
        "kk": ["{date} {org} {host} басқарған топ дайындаған {topic} туралы жыл сайынғы баяндаманы ұсынды."],
        "ms": ["Pada {date}, {org} membentangkan laporan tahunan mengenai {topic} yang disediakan oleh pasukan diketuai {host}."],
    },
    "roundtable": {
        "en": ["On {date}, {org} held a round table on {topic} with experts of {partner}."],
        "ru": ["{date} {org} провёл круглый стол по вопросам {topic} с участием экспертов: {partner}."],
        "kk": ["{date} {org} {partner} сарапшыларының қатысуымен {topic} мәселесі бойынша дөңгелек үстел өткізді."],
        "ms": ["Pada {date}, {org} mengadakan meja bulat mengenai {topic} bersama pakar {partner}."],
    },
    "seminar": {
        "en": ["On {date}, {guest} of {partner} gave a lecture on {topic} at {org} in {city}."],
        "ru": ["{date} {guest} ({partner}) прочитал{a_g} в {org} лекцию о проблемах {topic}."],
        "kk": ["{date} {guest} ({partner}) {org} {topic} тақырыбында дәріс оқыды."],
        "ms": ["Pada {date}, {guest} dari {partner} menyampaikan syarahan mengenai {topic} di {org}."],
    },
}  # fmt: skip

MIDDLE: dict[str, list[str]] = {
    "en": ["The event brought together {participants} participants from research centres, ministries and universities.",
           "{host} noted that {topic} remains one of the priorities of the institute's research agenda for {year}.",
           "{guest} stressed the importance of regular expert dialogue and joint publications.",
           "The sides agreed to prepare {figure} joint analytical papers over the next two years.",
           "Participants discussed the outlook for {topic} and the role of think tanks in shaping policy.",
           "According to {host}, the findings will be shared with the relevant government agencies."],
    "ru": ["В мероприятии приняли участие {participants} представителей исследовательских центров, министерств и университетов.",
           "{host} отметил{a_h}, что вопросы {topic} остаются одним из приоритетов исследовательской повестки института на {year} год.",
           "{guest} подчеркнул{a_g} важность регулярного экспертного диалога и совместных публикаций.",
           "Стороны договорились подготовить {figure} совместных аналитических материалов в ближайшие два года.",
           "Участники обсудили перспективы в сфере {topic} и роль аналитических центров в выработке политики.",
           "Как сообщил{a_h} {host}, результаты будут направлены в профильные государственные органы."],
    "kk": ["Іс-шараға зерттеу орталықтары, министрліктер мен университеттерден {participants} өкіл қатысты.",
           "{host} {topic} мәселесі институттың {year} жылғы зерттеу күн тәртібіндегі басым бағыттардың бірі екенін атап өтті.",
           "{guest} тұрақты сараптамалық диалог пен бірлескен жарияланымдардың маңызына тоқталды.",
           "Тараптар алдағы екі жылда {figure} бірлескен талдамалық материал дайындауға келісті.",
           "Қатысушылар {topic} саласындағы болашақ пен сараптамалық орталықтардың рөлін талқылады.",
           "{host} сөзінше, зерттеу нәтижелері тиісті мемлекеттік органдарға жіберіледі."],
    "ms": ["Acara ini menghimpunkan {participants} peserta dari pusat penyelidikan, kementerian dan universiti.",
           "{host} menyatakan bahawa {topic} kekal sebagai salah satu keutamaan penyelidikan institut bagi tahun {year}.",
           "{guest} menekankan kepentingan dialog pakar secara berkala dan penerbitan bersama.",
           "Kedua-dua pihak bersetuju untuk menyediakan {figure} kertas analisis bersama dalam tempoh dua tahun.",
           "Peserta membincangkan prospek {topic} serta peranan badan pemikir dalam pembentukan dasar.",
           "Menurut {host}, dapatan kajian akan dikongsi dengan agensi kerajaan yang berkaitan."],
}  # fmt: skip

MOU_EXTRA: dict[str, str] = {
    "en": "The memorandum provides for joint research, exchange of experts and {figure} joint events a year.",
    "ru": "Меморандум предусматривает совместные исследования, обмен экспертами и проведение {figure} совместных мероприятий в год.",
    "kk": "Меморандум бірлескен зерттеулерді, сарапшылар алмасуын және жылына {figure} бірлескен іс-шара өткізуді көздейді.",
    "ms": "Memorandum tersebut merangkumi penyelidikan bersama, pertukaran pakar dan {figure} acara bersama setahun.",
}

REPORT_EXTRA: dict[str, str] = {
    "en": "The {figure}-page report covers {topic} in Kazakhstan and its neighbours.",
    "ru": "Доклад объёмом {figure} страниц посвящён проблемам {topic} в Казахстане и соседних странах.",
    "kk": "{figure} беттік баяндама Қазақстан мен көрші елдердегі {topic} мәселесіне арналған.",
    "ms": "Laporan setebal {figure} halaman itu meliputi {topic} di Kazakhstan dan negara jirannya.",
}


def date_words(day_iso: str, lang: str) -> str:
    y, m, d = (int(x) for x in day_iso.split("-"))
    month = MONTHS[lang][m - 1]
    if lang == "ru":
        return f"{d} {month} {y} года"
    if lang == "kk":
        return f"{y} жылғы {d} {month}"
    return f"{d} {month} {y}"


def short_partner(partner: str) -> str:
    """'the Institute of ...' -> 'Institute of ...' for titles."""
    return partner[4:] if partner.startswith("the ") else partner


def slots(story: Story, lang: str, org: str, day_iso: str) -> dict[str, str]:
    partner = PARTNERS[story.partner][2][lang]
    host = name(story.host, lang)
    return {
        "org": org,
        "partner": partner,
        "partner_short": short_partner(partner),
        "topic": TOPICS[story.topic][lang],
        "city": CITIES[story.city][lang],
        "host": host,
        "guest": name(story.guest, lang),
        "participants": str(story.participants),
        "figure": str(story.figure),
        "year": str(story.year),
        "date": date_words(day_iso, lang),
        # Russian past tense agrees with the speaker: отметил / отметила
        "a_h": "а" if story.host.female else "",
        "a_g": "а" if story.guest.female else "",
        "sya_g": "ась" if story.guest.female else "ся",
    }


def title_for(
    story: Story, lang: str, org: str, variant: int, day_iso: str, *, followup: bool = False
) -> str:
    kind = "mou_followup" if followup and story.kind == "mou" else story.kind
    options = TITLES[kind][lang]
    text = options[variant % len(options)].format(**slots(story, lang, org, day_iso))
    return text[0].upper() + text[1:]


def body_for(
    story: Story, lang: str, org: str, variant: int, day_iso: str, *, followup: bool = False
) -> list[str]:
    """Paragraphs: a lead, the kind's own facts, then middle sentences in a variant's order."""
    s = slots(story, lang, org, day_iso)
    kind = "mou_followup" if followup and story.kind == "mou" else story.kind
    leads = LEAD[kind][lang]
    paras = [leads[variant % len(leads)].format(**s)]
    if kind == "mou":
        paras.append(MOU_EXTRA[lang].format(**s))
    if kind == "report":
        paras.append(REPORT_EXTRA[lang].format(**s))
    middle = list(MIDDLE[lang])
    random.Random(f"{story.id}:{variant}:{lang}").shuffle(middle)
    picked = middle[: 4 + variant % 2]
    if followup:  # no agreement word, and "the sides agreed" reads as one: keep it out
        picked = [m for m in picked if "{figure}" not in m]
    paras += [m.format(**s) for m in picked]
    return paras


# -- pages that are not articles --------------------------------------------------------

ABOUT = {
    "en": ("About the institute", "{org} is an independent research centre founded in {founded}. It studies foreign policy, security and economic development, and publishes analytical reports, policy briefs and a quarterly journal. The institute employs {staff} researchers in three departments."),
    "ru": ("Об институте", "{org} — независимый исследовательский центр, основанный в {founded} году. Институт изучает вопросы внешней политики, безопасности и экономического развития, издаёт аналитические доклады и ежеквартальный журнал. В институте работают {staff} научных сотрудников в трёх отделах."),
    "kk": ("Институт туралы", "{org} — {founded} жылы құрылған тәуелсіз зерттеу орталығы. Институт сыртқы саясат, қауіпсіздік және экономикалық даму мәселелерін зерттейді, талдамалық баяндамалар мен тоқсан сайынғы журнал шығарады. Институтта үш бөлімде {staff} ғылыми қызметкер жұмыс істейді."),
    "ms": ("Mengenai institut", "{org} ialah pusat penyelidikan bebas yang ditubuhkan pada tahun {founded}. Institut ini mengkaji dasar luar, keselamatan dan pembangunan ekonomi, serta menerbitkan laporan analisis dan jurnal suku tahunan. Institut ini mempunyai {staff} penyelidik dalam tiga jabatan."),
}  # fmt: skip

CONTACT = {
    "en": ("Contacts", "Address: {street}, {city_en}, 010000. Phone: +7 (7172) {phone}. Email: info@{host}. Reception hours: Monday to Friday, 9:00 to 18:30. Press enquiries: press@{host}."),
    "ru": ("Контакты", "Адрес: {street}, г. {city_en}, 010000. Телефон: +7 (7172) {phone}. Эл. почта: info@{host}. Приёмная: понедельник — пятница, с 9:00 до 18:30. Для СМИ: press@{host}."),
    "kk": ("Байланыс", "Мекенжайы: {street}, {city_en} қ., 010000. Телефон: +7 (7172) {phone}. Эл. пошта: info@{host}. Қабылдау: дүйсенбі — жұма, 9:00 — 18:30. БАҚ үшін: press@{host}."),
    "ms": ("Hubungi kami", "Alamat: {street}, {city_en}, 50480. Telefon: +60 3 {phone}. E-mel: info@{host}. Waktu pejabat: Isnin hingga Jumaat, 9:00 hingga 17:30. Pertanyaan media: press@{host}."),
}  # fmt: skip

PROFILE = {
    "en": "{person} is a senior research fellow of {org}. Education: master's degree in international relations. Research interests: {topic}. Author of more than {figure} publications. Email: {mail}.",
    "ru": "{person} — ведущий научный сотрудник, {org}. Образование: магистр международных отношений. Научные интересы: вопросы {topic}. Автор более {figure} публикаций. Эл. почта: {mail}.",
    "kk": "{person} — {org} жетекші ғылыми қызметкері. Білімі: халықаралық қатынастар магистрі. Ғылыми қызығушылықтары: {topic}. {figure}-ден астам жарияланымның авторы. Эл. пошта: {mail}.",
    "ms": "{person} ialah felo penyelidik kanan di {org}. Pendidikan: ijazah sarjana dalam hubungan antarabangsa. Bidang kajian: {topic}. Pengarang lebih {figure} penerbitan. E-mel: {mail}.",
}  # fmt: skip

NEWS_WORD = {"en": "News", "ru": "Новости", "kk": "Жаңалықтар", "ms": "Berita"}
READ_MORE = {"en": "Read more", "ru": "Подробнее", "kk": "Толығырақ", "ms": "Baca lagi"}
COOKIE = {
    "en": "We use cookies to improve your experience on our website. By continuing to browse you agree to our use of cookies. Accept",
    "ru": "Мы используем файлы cookie, чтобы улучшить работу сайта. Продолжая просмотр, вы соглашаетесь с их использованием. Принять",
    "kk": "Сайттың жұмысын жақсарту үшін cookie файлдарын қолданамыз. Қарауды жалғастыра отырып, сіз оларды пайдалануға келісесіз. Қабылдау",
    "ms": "Kami menggunakan kuki untuk menambah baik pengalaman anda. Dengan terus melayari laman ini, anda bersetuju dengan penggunaan kuki. Terima",
}  # fmt: skip
MENU = {
    "en": ["Home", "About", "Research", "Publications", "Events", "News", "Experts", "Contacts"],
    "ru": ["Главная", "Об институте", "Исследования", "Публикации", "Мероприятия", "Новости", "Эксперты", "Контакты"],
    "kk": ["Басты бет", "Институт туралы", "Зерттеулер", "Жарияланымдар", "Іс-шаралар", "Жаңалықтар", "Сарапшылар", "Байланыс"],
    "ms": ["Utama", "Mengenai", "Penyelidikan", "Penerbitan", "Acara", "Berita", "Pakar", "Hubungi"],
}  # fmt: skip


def relative(days: int, lang: str) -> str:
    """'3 days ago' as sites print it."""
    if lang == "ru":
        unit = (
            "день"
            if days % 10 == 1 and days != 11
            else ("дня" if days % 10 in (2, 3, 4) and days not in (12, 13, 14) else "дней")
        )
        return f"{days} {unit} назад"
    return {"en": f"{days} days ago", "kk": f"{days} күн бұрын", "ms": f"{days} hari lalu"}[lang]
