"""The terms patients filter by, with the SAMHSA service codes each one stands for.

Codes come from SAMHSA's "Service Code Reference" (National Directory of Substance Use Treatment
Facilities, 2022; the mental-health directory adds its own, such as DBT). A data migration loads
these definitions and ``sync_vocabulary`` can be run again after edits: it updates by slug and
never deletes, so terms that admins added by hand survive.
"""

from typing import Any

# Medication-assisted treatment: any facility that offers a medication for opioid or alcohol use
# disorder (opioid medications MU/BU/NU, an opioid treatment program, prescribing, and the
# pharmacotherapy codes for those medications).
MAT_CODES = [
    "MU", "BU", "NU", "OTP", "PMAT", "UB", "UN", "BUM", "BMW", "DB", "MM", "MMW", "DM", "RPN",
    "ACM", "DSF", "METH", "BSDM", "BWN", "BWON", "BERI", "NXN", "VTRL",
]  # fmt: skip

THERAPIES: list[dict[str, Any]] = [
    {
        "slug": "cbt",
        "name": "Cognitive behavioral therapy (CBT)",
        "summary": "Spot the thoughts and situations that lead to use, and practise new responses.",
        "samhsa_codes": ["CBT"],
        "description": (
            "CBT starts from the idea that what we think, feel and do are linked. With a "
            "therapist you map the moments that tend to end in drinking or using: the place, "
            "the mood, the thought that comes first. Then you rehearse other ways through those "
            "moments until they become habits of their own."
        ),
        "what_to_expect": (
            "Sessions are usually weekly, alone or in a small group, and last about an hour. "
            "They are practical: you may keep a short diary of cravings, work through a recent "
            "hard moment step by step, and leave with one skill to try before the next session."
        ),
        "who_it_suits": (
            "Almost anyone, for almost any substance. It is one of the most studied approaches "
            "and is often combined with medication and with other therapies."
        ),
    },
    {
        "slug": "dbt",
        "name": "Dialectical behavior therapy (DBT)",
        "summary": "Skills for intense emotions, distress and relationships.",
        "samhsa_codes": ["DBT"],
        "description": (
            "DBT grew out of CBT for people whose emotions run very high. It pairs acceptance of "
            "where you are now with steady work on change, and teaches four groups of skills: "
            "mindfulness, getting through a crisis without making it worse, handling emotions, "
            "and asking for what you need from other people."
        ),
        "what_to_expect": (
            "A full programme usually combines a weekly individual session, a weekly skills "
            "group that feels a little like a class, and the option of brief phone coaching "
            "between sessions."
        ),
        "who_it_suits": (
            "People whose substance use is tied to overwhelming emotions, self-harm or thoughts "
            "of suicide, or who also live with a mental-health condition."
        ),
    },
    {
        "slug": "contingency-management",
        "name": "Contingency management",
        "summary": "Small, immediate rewards for goals such as negative drug tests.",
        "samhsa_codes": ["CMI", "CRV"],
        "description": (
            "Contingency management rewards progress you can check, such as a negative drug "
            "test or attending every session that week. Rewards are vouchers for goods or "
            "services, or draws for prizes. The reward arrives while the benefits of recovery "
            "still feel far away, which helps in the early weeks."
        ),
        "what_to_expect": (
            "You are tested on a regular schedule, often two or three times a week. Each goal "
            "met earns a reward, and voucher values often rise with each success in a row and "
            "reset after a missed goal. Programmes commonly run for about three months."
        ),
        "who_it_suits": (
            "It has strong evidence for stimulants such as methamphetamine and cocaine, where no "
            "medication is approved, and is also used alongside medication for opioid use."
        ),
    },
    {
        "slug": "motivational-interviewing",
        "name": "Motivational interviewing",
        "summary": "A conversation that helps you find your own reasons to change.",
        "samhsa_codes": ["MOTI"],
        "description": (
            "Most people feel two ways about changing. Motivational interviewing is a style of "
            "counselling that takes that seriously: the counsellor listens closely, reflects "
            "back what you say, and helps you weigh your own reasons, without lecturing or "
            "pushing."
        ),
        "what_to_expect": (
            "Often only one to four sessions, sometimes at the very start of treatment. Expect "
            "more questions than advice, and a plan that is yours rather than one handed to you."
        ),
        "who_it_suits": (
            "Anyone unsure whether they want to change, or who has felt judged in treatment "
            "before. It often opens the way to a longer programme."
        ),
    },
    {
        "slug": "twelve-step-facilitation",
        "name": "12-step facilitation",
        "summary": "Prepares you to join and keep going to mutual-help groups such as AA or NA.",
        "samhsa_codes": ["TWFA"],
        "description": (
            "Twelve-step facilitation is a short, structured therapy that introduces the ideas "
            "of twelve-step fellowships and helps you start going to meetings, so that support "
            "is there long after formal treatment ends."
        ),
        "what_to_expect": (
            "Typically 12 to 15 weekly sessions with a counsellor, each covering one idea, plus "
            "encouragement to attend meetings between sessions and to find a sponsor."
        ),
        "who_it_suits": (
            "People who want lasting peer support and are open to group meetings. It is free to "
            "keep going to meetings afterwards, wherever you live."
        ),
    },
    {
        "slug": "mat",
        "name": "Medication-assisted treatment (MAT)",
        "summary": "Medication such as buprenorphine, methadone or naltrexone, with counselling.",
        "samhsa_codes": MAT_CODES,
        "description": (
            "Medication-assisted treatment uses approved medicines for opioid or alcohol use "
            "disorder together with counselling. Buprenorphine and methadone ease withdrawal "
            "and cravings; naltrexone blocks the effect of opioids and reduces drinking. For "
            "opioid use disorder it is the best-supported treatment there is, and it lowers the "
            "risk of dying from an overdose."
        ),
        "what_to_expect": (
            "A medical assessment first, then a dose adjusted over the first days or weeks. "
            "Methadone is given at a licensed clinic, at first daily; buprenorphine and "
            "naltrexone can be prescribed by many doctors. Counselling continues alongside."
        ),
        "who_it_suits": (
            "Adults with opioid or alcohol use disorder, including during pregnancy (with "
            "specialist care). Taking medication as prescribed is recovery, not a substitute "
            "for it."
        ),
    },
]

CARE_SETTINGS: list[dict[str, Any]] = [
    {
        "slug": "inpatient",
        "name": "Hospital inpatient",
        "kind": "24-hour",
        "summary": "Round-the-clock medical care on a hospital ward.",
        "samhsa_codes": ["HI", "HID", "HIT"],
        "description": (
            "You stay in a hospital, with doctors and nurses available day and night. It is "
            "meant for people who need close medical watch: a dangerous withdrawal, another "
            "serious illness, or a crisis."
        ),
        "what_to_expect": (
            "Stays are usually short, from a few days to a couple of weeks. The day is built "
            "around medical checks, medication, rest and first counselling sessions, and ends "
            "with a plan for where care continues."
        ),
        "who_it_suits": "People whose withdrawal or health puts them at medical risk.",
    },
    {
        "slug": "residential",
        "name": "Residential",
        "kind": "24-hour",
        "summary": "Live at the center for weeks or months, away from daily triggers.",
        "samhsa_codes": ["RES", "RS", "RL", "RD"],
        "description": (
            "You live at the center, usually a home-like setting rather than a hospital, with "
            "staff on site at all hours. Short-term programmes last a few weeks; long-term ones "
            "can last several months."
        ),
        "what_to_expect": (
            "A structured day: individual and group therapy, skills sessions, meals together, "
            "exercise and quiet time, and often family sessions at weekends."
        ),
        "who_it_suits": (
            "People whose home makes recovery hard, who have tried outpatient care without "
            "success, or who need more structure than a few hours a week."
        ),
    },
    {
        "slug": "outpatient",
        "name": "Outpatient",
        "kind": "outpatient",
        "summary": "Regular sessions while you live at home and keep working or studying.",
        "samhsa_codes": ["OP", "ORT", "OMB"],
        "description": (
            "You live at home and come in for appointments, from one to a few hours a week. It "
            "is the most common form of treatment, and it includes clinics that provide "
            "methadone, buprenorphine or naltrexone."
        ),
        "what_to_expect": (
            "Individual or group sessions once or twice a week, medication visits if you take "
            "medication, and the rest of your life carrying on around them."
        ),
        "who_it_suits": (
            "People with a stable place to live and some support around them, and anyone "
            "stepping down from residential care."
        ),
    },
    {
        "slug": "intensive-outpatient",
        "name": "Intensive outpatient",
        "kind": "outpatient",
        "summary": "About 9 or more hours a week of treatment, living at home.",
        "samhsa_codes": ["OIT"],
        "description": (
            "More hours than regular outpatient care, often three or four sessions of three "
            "hours a week, many of them in the evening, while you go on living at home."
        ),
        "what_to_expect": (
            "Mostly group therapy and skills work, with individual sessions and drug testing. "
            "Programmes commonly last a couple of months."
        ),
        "who_it_suits": (
            "People who need more than a weekly session but can stay safely at home, or who are "
            "leaving residential care."
        ),
    },
    {
        "slug": "partial-hospitalization",
        "name": "Partial hospitalization (day treatment)",
        "kind": "outpatient",
        "summary": "A full day of treatment, most days of the week, sleeping at home.",
        "samhsa_codes": ["ODT"],
        "description": (
            "Day treatment offers nearly as many hours as a residential programme, usually five "
            "or six hours a day, five days a week, but you go home every evening."
        ),
        "what_to_expect": (
            "A schedule like a working day: groups, individual therapy, medical and psychiatric "
            "care, and meals on site."
        ),
        "who_it_suits": (
            "People who need a lot of support and medical attention but have a safe home to "
            "return to each night."
        ),
    },
    {
        "slug": "detox",
        "name": "Detox (medically managed withdrawal)",
        "kind": "other",
        "summary": "Help through withdrawal safely, as a first step before treatment.",
        "samhsa_codes": ["DT", "HID", "RD", "OD"],
        "description": (
            "Detox manages the physical withdrawal when someone stops drinking or using, with "
            "medication where needed. Withdrawal from alcohol or sedatives can be dangerous "
            "without medical care. Detox on its own is not treatment: it is the doorway to it."
        ),
        "what_to_expect": (
            "Usually three to ten days, in a hospital, a residential unit or as an outpatient "
            "with daily check-ins, ending with a referral into ongoing care."
        ),
        "who_it_suits": (
            "Anyone physically dependent on alcohol, opioids or sedatives who plans to stop."
        ),
    },
]

MEDICATIONS: list[dict[str, Any]] = [
    {
        "slug": "buprenorphine",
        "name": "Buprenorphine",
        "summary": "Eases opioid withdrawal and cravings; prescribed by many doctors.",
        "samhsa_codes": ["BU", "BSDM", "BWN", "BWON", "BERI", "UB", "BUM", "BMW", "DB"],
    },
    {
        "slug": "methadone",
        "name": "Methadone",
        "summary": "A daily medication for opioid use disorder, given at licensed clinics.",
        "samhsa_codes": ["MU", "METH", "MM", "MMW", "DM"],
    },
    {
        "slug": "naltrexone",
        "name": "Naltrexone",
        "summary": "Blocks the effect of opioids and reduces heavy drinking.",
        "samhsa_codes": ["NU", "NXN", "VTRL", "UN", "RPN"],
    },
    {
        "slug": "acamprosate",
        "name": "Acamprosate",
        "summary": "Helps people who have stopped drinking to stay stopped.",
        "samhsa_codes": ["ACM"],
    },
    {
        "slug": "disulfiram",
        "name": "Disulfiram",
        "summary": "Makes drinking alcohol cause an unpleasant reaction.",
        "samhsa_codes": ["DSF"],
    },
]

PAYMENT_OPTIONS: list[dict[str, Any]] = [
    {"slug": "medicaid", "name": "Medicaid", "samhsa_codes": ["MD"]},
    {"slug": "medicare", "name": "Medicare", "samhsa_codes": ["MC"]},
    {"slug": "private-insurance", "name": "Private insurance", "samhsa_codes": ["PI"]},
    {"slug": "self-pay", "name": "Self-pay (cash)", "samhsa_codes": ["SF"]},
    {"slug": "sliding-scale", "name": "Sliding fee scale", "samhsa_codes": ["SS"]},
    {"slug": "free", "name": "Free of charge", "samhsa_codes": ["NP"]},
    {"slug": "military", "name": "Military insurance (TRICARE)", "samhsa_codes": ["MI"]},
    {"slug": "payment-assistance", "name": "Payment assistance", "samhsa_codes": ["PA"]},
    {"slug": "state-insurance", "name": "State health plan", "samhsa_codes": ["SI"]},
    {"slug": "ihs-tribal", "name": "IHS, tribal or urban Indian funds", "samhsa_codes": ["ITU"]},
    # SAMHSA has no code for financing; admins set it by hand on the listings that offer it.
    {"slug": "financing", "name": "Financing plans", "samhsa_codes": []},
]

POPULATIONS: list[dict[str, Any]] = [
    {"slug": "adolescents", "name": "Adolescents", "samhsa_codes": ["AD", "CHLD"]},
    {"slug": "young-adults", "name": "Young adults", "samhsa_codes": ["TAY", "YAD"]},
    {"slug": "adults", "name": "Adults", "samhsa_codes": ["ADLT"]},
    {"slug": "seniors", "name": "Seniors", "samhsa_codes": ["SE", "SNR"]},
    {"slug": "women", "name": "Women", "samhsa_codes": ["WN", "FEM"]},
    {"slug": "men", "name": "Men", "samhsa_codes": ["MN", "MALE"]},
    {"slug": "pregnant-women", "name": "Pregnant or postpartum women", "samhsa_codes": ["PW"]},
    {"slug": "veterans", "name": "Veterans", "samhsa_codes": ["VET"]},
    {
        "slug": "military",
        "name": "Active-duty military and families",
        "samhsa_codes": ["ADM", "MF"],
    },
    {"slug": "lgbtq", "name": "LGBTQ+ people", "samhsa_codes": ["GL"]},
    {"slug": "criminal-justice", "name": "People in the justice system", "samhsa_codes": ["CJ"]},
    {"slug": "co-occurring", "name": "Co-occurring mental illness", "samhsa_codes": ["CO"]},
    {"slug": "trauma", "name": "People who have experienced trauma", "samhsa_codes": ["TRMA"]},
]

LANGUAGES: list[dict[str, Any]] = [
    {"slug": "spanish", "name": "Spanish", "samhsa_codes": ["SP"]},
    {"slug": "sign-language", "name": "Sign language", "samhsa_codes": ["AH"]},
    {"slug": "native-american", "name": "American Indian or Alaska Native languages",
     "samhsa_codes": ["NX", "N24", "N40"]},
    {"slug": "arabic", "name": "Arabic", "samhsa_codes": ["F4"]},
    {"slug": "chinese", "name": "Chinese", "samhsa_codes": ["F17"]},
    {"slug": "creole", "name": "Creole", "samhsa_codes": ["F19"]},
    {"slug": "farsi", "name": "Farsi", "samhsa_codes": ["F25"]},
    {"slug": "french", "name": "French", "samhsa_codes": ["F28"]},
    {"slug": "german", "name": "German", "samhsa_codes": ["F30"]},
    {"slug": "greek", "name": "Greek", "samhsa_codes": ["F31"]},
    {"slug": "hebrew", "name": "Hebrew", "samhsa_codes": ["F35"]},
    {"slug": "hindi", "name": "Hindi", "samhsa_codes": ["F36"]},
    {"slug": "hmong", "name": "Hmong", "samhsa_codes": ["F37"]},
    {"slug": "italian", "name": "Italian", "samhsa_codes": ["F42"]},
    {"slug": "japanese", "name": "Japanese", "samhsa_codes": ["F43"]},
    {"slug": "korean", "name": "Korean", "samhsa_codes": ["F47"]},
    {"slug": "polish", "name": "Polish", "samhsa_codes": ["F66"]},
    {"slug": "portuguese", "name": "Portuguese", "samhsa_codes": ["F67"]},
    {"slug": "russian", "name": "Russian", "samhsa_codes": ["F70"]},
    {"slug": "tagalog", "name": "Tagalog", "samhsa_codes": ["F81"]},
    {"slug": "vietnamese", "name": "Vietnamese", "samhsa_codes": ["F92"]},
]  # fmt: skip

ACCREDITATIONS: list[dict[str, Any]] = [
    {"slug": "state-licence", "name": "State licence or certification",
     "samhsa_codes": ["STAG", "STMH", "STDH"]},
    {"slug": "carf", "name": "CARF accreditation", "samhsa_codes": ["CARF"]},
    {"slug": "joint-commission", "name": "The Joint Commission", "samhsa_codes": ["JC"]},
    {"slug": "coa", "name": "Council on Accreditation (COA)", "samhsa_codes": ["COA"]},
    {"slug": "hfap", "name": "Healthcare Facilities Accreditation Program",
     "samhsa_codes": ["HFAP"]},
    {"slug": "ncqa", "name": "NCQA", "samhsa_codes": ["NCQA"]},
    {"slug": "hospital-licence", "name": "Hospital licence", "samhsa_codes": ["HLA"]},
    {"slug": "fqhc", "name": "Federally Qualified Health Center", "samhsa_codes": ["FQHC"]},
    {"slug": "samhsa-otp", "name": "SAMHSA-certified opioid treatment program",
     "samhsa_codes": ["SOTP"]},
    {"slug": "dea", "name": "DEA registration", "samhsa_codes": ["DEA"]},
]  # fmt: skip


def sync_vocabulary(get_model) -> None:
    """Create or update every term by slug. ``get_model`` is ``apps.get_model`` (live models,
    or a migration's historical ones)."""
    from centers.models.taxonomy import TERM_KINDS  # the registry lists these definitions

    for kind in TERM_KINDS:
        model = get_model("centers", kind.model.__name__)
        for position, term in enumerate(kind.vocabulary):
            defaults = {"position": position, "description": "", "summary": "", **term}
            defaults.pop("slug")
            model.objects.update_or_create(slug=term["slug"], defaults=defaults)
