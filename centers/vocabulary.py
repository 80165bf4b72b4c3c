"""The terms patients filter by, with the SAMHSA service codes each one stands for.

Codes come from SAMHSA's "Service Code Reference" (National Directory of Substance Use Treatment
Facilities, 2022; the mental-health directory adds its own, such as DBT). A data migration loads
these definitions and ``sync_vocabulary`` can be run again after edits: it updates by slug and
never deletes, so terms that admins added by hand survive.

Each text is written in English and, beside it, in Spanish (``name_es``, ``summary_es``...; see
``directory.languages.Translated``): plain words in the formal "usted", for someone looking for
help, in the usage of US Spanish health sources. Acronyms follow those sources: Spanish ones
where they are established (TCC, TDC), the English one where the sources keep it (MAT).
Organisations' names stay in English. Migration 0009 filled the Spanish on existing databases
without replacing an editor's.
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
        "name_es": "Terapia cognitivo-conductual (TCC)",
        "summary": "Spot the thoughts and situations that lead to use, and practise new responses.",
        "summary_es": (
            "Reconozca los pensamientos y las situaciones que llevan al consumo, y practique otras "
            "formas de responder."
        ),
        "samhsa_codes": ["CBT"],
        "description": (
            "CBT starts from the idea that what we think, feel and do are linked. With a "
            "therapist you map the moments that tend to end in drinking or using: the place, "
            "the mood, the thought that comes first. Then you rehearse other ways through those "
            "moments until they become habits of their own."
        ),
        "description_es": (
            "La TCC parte de la idea de que lo que pensamos, sentimos y hacemos está conectado. "
            "Con un terapeuta, usted identifica los momentos que suelen terminar en beber o "
            "consumir: el lugar, el estado de ánimo, el pensamiento que llega primero. Luego "
            "ensaya otras maneras de pasar por esos momentos hasta que se vuelven hábitos propios."
        ),
        "what_to_expect": (
            "Sessions are usually weekly, alone or in a small group, and last about an hour. "
            "They are practical: you may keep a short diary of cravings, work through a recent "
            "hard moment step by step, and leave with one skill to try before the next session."
        ),
        "what_to_expect_es": (
            "Las sesiones suelen ser semanales, a solas o en un grupo pequeño, y duran alrededor "
            "de una hora. Son prácticas: quizá lleve un breve diario de sus deseos de consumir, "
            "repase paso a paso un momento difícil reciente y salga con una habilidad para probar "
            "antes de la siguiente sesión."
        ),
        "who_it_suits": (
            "Almost anyone, for almost any substance. It is one of the most studied approaches "
            "and is often combined with medication and with other therapies."
        ),
        "who_it_suits_es": (
            "Casi cualquier persona, con casi cualquier sustancia. Es uno de los enfoques más "
            "estudiados y a menudo se combina con medicamentos y con otras terapias."
        ),
    },
    {
        "slug": "dbt",
        "name": "Dialectical behavior therapy (DBT)",
        "name_es": "Terapia dialéctica conductual (TDC)",
        "summary": "Skills for intense emotions, distress and relationships.",
        "summary_es": (
            "Habilidades para manejar emociones intensas, momentos de angustia y las relaciones."
        ),
        "samhsa_codes": ["DBT"],
        "description": (
            "DBT grew out of CBT for people whose emotions run very high. It pairs acceptance of "
            "where you are now with steady work on change, and teaches four groups of skills: "
            "mindfulness, getting through a crisis without making it worse, handling emotions, "
            "and asking for what you need from other people."
        ),
        "description_es": (
            "La TDC surgió de la TCC para personas que sienten las emociones con mucha intensidad. "
            "Combina aceptar dónde está usted hoy con un trabajo constante hacia el cambio, y "
            "enseña cuatro grupos de habilidades: atención plena (mindfulness), pasar una crisis "
            "sin empeorarla, manejar las emociones y pedir a los demás lo que usted necesita."
        ),
        "what_to_expect": (
            "A full programme usually combines a weekly individual session, a weekly skills "
            "group that feels a little like a class, and the option of brief phone coaching "
            "between sessions."
        ),
        "what_to_expect_es": (
            "Un programa completo suele combinar una sesión individual cada semana, un grupo "
            "semanal de habilidades que se parece un poco a una clase y la opción de breves "
            "llamadas de apoyo entre sesiones."
        ),
        "who_it_suits": (
            "People whose substance use is tied to overwhelming emotions, self-harm or thoughts "
            "of suicide, or who also live with a mental-health condition."
        ),
        "who_it_suits_es": (
            "Personas cuyo consumo está ligado a emociones abrumadoras, a autolesiones o a "
            "pensamientos de suicidio, o que también viven con un problema de salud mental."
        ),
    },
    {
        "slug": "contingency-management",
        "name": "Contingency management",
        "name_es": "Manejo de contingencias",
        "summary": "Small, immediate rewards for goals such as negative drug tests.",
        "summary_es": (
            "Recompensas pequeñas e inmediatas por metas como una prueba de drogas negativa."
        ),
        "samhsa_codes": ["CMI", "CRV"],
        "description": (
            "Contingency management rewards progress you can check, such as a negative drug "
            "test or attending every session that week. Rewards are vouchers for goods or "
            "services, or draws for prizes. The reward arrives while the benefits of recovery "
            "still feel far away, which helps in the early weeks."
        ),
        "description_es": (
            "El manejo de contingencias premia avances que se pueden comprobar, como una prueba de "
            "drogas negativa o asistir a todas las sesiones de la semana. Las recompensas son "
            "vales para productos o servicios, o sorteos de premios. La recompensa llega cuando "
            "los beneficios de la recuperación todavía se sienten lejanos, y eso ayuda en las "
            "primeras semanas."
        ),
        "what_to_expect": (
            "You are tested on a regular schedule, often two or three times a week. Each goal "
            "met earns a reward, and voucher values often rise with each success in a row and "
            "reset after a missed goal. Programmes commonly run for about three months."
        ),
        "what_to_expect_es": (
            "Le hacen pruebas con un horario fijo, a menudo dos o tres veces por semana. Cada meta "
            "cumplida gana una recompensa; el valor de los vales suele subir con cada logro "
            "seguido y vuelve a empezar si no se cumple una meta. Los programas suelen durar unos "
            "tres meses."
        ),
        "who_it_suits": (
            "It has strong evidence for stimulants such as methamphetamine and cocaine, where no "
            "medication is approved, and is also used alongside medication for opioid use."
        ),
        "who_it_suits_es": (
            "Tiene evidencia sólida para estimulantes como la metanfetamina y la cocaína, para los "
            "que no hay ningún medicamento aprobado, y también se usa junto con medicamentos para "
            "el consumo de opioides."
        ),
    },
    {
        "slug": "motivational-interviewing",
        "name": "Motivational interviewing",
        "name_es": "Entrevista motivacional",
        "summary": "A conversation that helps you find your own reasons to change.",
        "summary_es": "Una conversación que le ayuda a encontrar sus propias razones para cambiar.",
        "samhsa_codes": ["MOTI"],
        "description": (
            "Most people feel two ways about changing. Motivational interviewing is a style of "
            "counselling that takes that seriously: the counsellor listens closely, reflects "
            "back what you say, and helps you weigh your own reasons, without lecturing or "
            "pushing."
        ),
        "description_es": (
            "La mayoría de las personas tienen sentimientos encontrados sobre cambiar. La "
            "entrevista motivacional es una forma de consejería que lo toma en serio: el consejero "
            "escucha con atención, le repite lo que usted dice y le ayuda a sopesar sus propias "
            "razones, sin sermones ni presiones."
        ),
        "what_to_expect": (
            "Often only one to four sessions, sometimes at the very start of treatment. Expect "
            "more questions than advice, and a plan that is yours rather than one handed to you."
        ),
        "what_to_expect_es": (
            "A menudo son solo de una a cuatro sesiones, a veces al comienzo del tratamiento. "
            "Espere más preguntas que consejos, y un plan que sea suyo y no uno que le entreguen "
            "hecho."
        ),
        "who_it_suits": (
            "Anyone unsure whether they want to change, or who has felt judged in treatment "
            "before. It often opens the way to a longer programme."
        ),
        "who_it_suits_es": (
            "Cualquier persona que no esté segura de querer cambiar, o que se haya sentido juzgada "
            "en un tratamiento anterior. Suele abrir el camino a un programa más largo."
        ),
    },
    {
        "slug": "twelve-step-facilitation",
        "name": "12-step facilitation",
        "name_es": "Facilitación de los 12 pasos",
        "summary": "Prepares you to join and keep going to mutual-help groups such as AA or NA.",
        "summary_es": (
            "Le prepara para unirse y seguir asistiendo a grupos de ayuda mutua como AA o NA."
        ),
        "samhsa_codes": ["TWFA"],
        "description": (
            "Twelve-step facilitation is a short, structured therapy that introduces the ideas "
            "of twelve-step fellowships and helps you start going to meetings, so that support "
            "is there long after formal treatment ends."
        ),
        "description_es": (
            "La facilitación de los doce pasos es una terapia breve y estructurada que presenta "
            "las ideas de las fraternidades de doce pasos y le ayuda a empezar a ir a las "
            "reuniones, para que ese apoyo siga ahí mucho después de que termine el tratamiento "
            "formal."
        ),
        "what_to_expect": (
            "Typically 12 to 15 weekly sessions with a counsellor, each covering one idea, plus "
            "encouragement to attend meetings between sessions and to find a sponsor."
        ),
        "what_to_expect_es": (
            "Normalmente de 12 a 15 sesiones semanales con un consejero, cada una sobre una idea, "
            "y la invitación a asistir a reuniones entre sesiones y a buscar un padrino o una "
            "madrina."
        ),
        "who_it_suits": (
            "People who want lasting peer support and are open to group meetings. It is free to "
            "keep going to meetings afterwards, wherever you live."
        ),
        "who_it_suits_es": (
            "Personas que desean un apoyo duradero de sus pares y están dispuestas a ir a "
            "reuniones en grupo. Seguir yendo a las reuniones después es gratis, viva donde viva."
        ),
    },
    {
        "slug": "mat",
        "name": "Medication-assisted treatment (MAT)",
        "name_es": "Tratamiento asistido con medicamentos (MAT)",
        "summary": "Medication such as buprenorphine, methadone or naltrexone, with counselling.",
        "summary_es": (
            "Medicamentos como la buprenorfina, la metadona o la naltrexona, junto con consejería."
        ),
        "samhsa_codes": MAT_CODES,
        "description": (
            "Medication-assisted treatment uses approved medicines for opioid or alcohol use "
            "disorder together with counselling. Buprenorphine and methadone ease withdrawal "
            "and cravings; naltrexone blocks the effect of opioids and reduces drinking. For "
            "opioid use disorder it is the best-supported treatment there is, and it lowers the "
            "risk of dying from an overdose."
        ),
        "description_es": (
            "El tratamiento asistido con medicamentos usa medicamentos aprobados para el trastorno "
            "por consumo de opioides o de alcohol, junto con consejería. La buprenorfina y la "
            "metadona alivian la abstinencia y los deseos de consumir; la naltrexona bloquea el "
            "efecto de los opioides y reduce el consumo de alcohol. Para el trastorno por consumo "
            "de opioides es el tratamiento con más respaldo que existe, y reduce el riesgo de "
            "morir por una sobredosis."
        ),
        "what_to_expect": (
            "A medical assessment first, then a dose adjusted over the first days or weeks. "
            "Methadone is given at a licensed clinic, at first daily; buprenorphine and "
            "naltrexone can be prescribed by many doctors. Counselling continues alongside."
        ),
        "what_to_expect_es": (
            "Primero, una evaluación médica; luego, una dosis que se ajusta durante los primeros "
            "días o semanas. La metadona se da en una clínica autorizada, al principio todos los "
            "días; muchos médicos pueden recetar la buprenorfina y la naltrexona. La consejería "
            "continúa al mismo tiempo."
        ),
        "who_it_suits": (
            "Adults with opioid or alcohol use disorder, including during pregnancy (with "
            "specialist care). Taking medication as prescribed is recovery, not a substitute "
            "for it."
        ),
        "who_it_suits_es": (
            "Adultos con trastorno por consumo de opioides o de alcohol, también durante el "
            "embarazo (con atención especializada). Tomar los medicamentos como se los recetan es "
            "recuperación, no un sustituto de ella."
        ),
    },
]

CARE_SETTINGS: list[dict[str, Any]] = [
    {
        "slug": "inpatient",
        "name": "Hospital inpatient",
        "name_es": "Hospitalización",
        "kind": "24-hour",
        "summary": "Round-the-clock medical care on a hospital ward.",
        "summary_es": "Atención médica las 24 horas en un hospital.",
        "samhsa_codes": ["HI", "HID", "HIT"],
        "description": (
            "You stay in a hospital, with doctors and nurses available day and night. It is "
            "meant for people who need close medical watch: a dangerous withdrawal, another "
            "serious illness, or a crisis."
        ),
        "description_es": (
            "Usted se queda en un hospital, con médicos y enfermeros disponibles de día y de "
            "noche. Es para personas que necesitan una vigilancia médica cercana: una abstinencia "
            "peligrosa, otra enfermedad grave o una crisis."
        ),
        "what_to_expect": (
            "Stays are usually short, from a few days to a couple of weeks. The day is built "
            "around medical checks, medication, rest and first counselling sessions, and ends "
            "with a plan for where care continues."
        ),
        "what_to_expect_es": (
            "Las estadías suelen ser cortas, de unos días a un par de semanas. El día gira en "
            "torno a los controles médicos, los medicamentos, el descanso y las primeras sesiones "
            "de consejería, y termina con un plan sobre dónde continuará la atención."
        ),
        "who_it_suits": "People whose withdrawal or health puts them at medical risk.",
        "who_it_suits_es": "Personas cuya abstinencia o cuya salud las pone en riesgo médico.",
    },
    {
        "slug": "residential",
        "name": "Residential",
        "name_es": "Residencial",
        "kind": "24-hour",
        "summary": "Live at the center for weeks or months, away from daily triggers.",
        "summary_es": (
            "Viva en el centro durante semanas o meses, lejos de lo que cada día le lleva a "
            "consumir."
        ),
        "samhsa_codes": ["RES", "RS", "RL", "RD"],
        "description": (
            "You live at the center, usually a home-like setting rather than a hospital, with "
            "staff on site at all hours. Short-term programmes last a few weeks; long-term ones "
            "can last several months."
        ),
        "description_es": (
            "Usted vive en el centro, por lo general un lugar parecido a un hogar y no un "
            "hospital, con personal presente a toda hora. Los programas a corto plazo duran unas "
            "semanas; los de largo plazo pueden durar varios meses."
        ),
        "what_to_expect": (
            "A structured day: individual and group therapy, skills sessions, meals together, "
            "exercise and quiet time, and often family sessions at weekends."
        ),
        "what_to_expect_es": (
            "Un día estructurado: terapia individual y en grupo, sesiones de habilidades, comidas "
            "en común, ejercicio y tiempo de tranquilidad, y a menudo sesiones con la familia los "
            "fines de semana."
        ),
        "who_it_suits": (
            "People whose home makes recovery hard, who have tried outpatient care without "
            "success, or who need more structure than a few hours a week."
        ),
        "who_it_suits_es": (
            "Personas cuyo hogar les dificulta la recuperación, que han probado la atención "
            "ambulatoria sin éxito o que necesitan más estructura que unas pocas horas por semana."
        ),
    },
    {
        "slug": "outpatient",
        "name": "Outpatient",
        "name_es": "Ambulatorio",
        "kind": "outpatient",
        "summary": "Regular sessions while you live at home and keep working or studying.",
        "summary_es": (
            "Sesiones regulares mientras vive en su casa y sigue trabajando o estudiando."
        ),
        "samhsa_codes": ["OP", "ORT", "OMB"],
        "description": (
            "You live at home and come in for appointments, from one to a few hours a week. It "
            "is the most common form of treatment, and it includes clinics that provide "
            "methadone, buprenorphine or naltrexone."
        ),
        "description_es": (
            "Usted vive en su casa y acude a citas, de una a unas pocas horas por semana. Es la "
            "forma de tratamiento más común e incluye las clínicas que dan metadona, buprenorfina "
            "o naltrexona."
        ),
        "what_to_expect": (
            "Individual or group sessions once or twice a week, medication visits if you take "
            "medication, and the rest of your life carrying on around them."
        ),
        "what_to_expect_es": (
            "Sesiones individuales o en grupo una o dos veces por semana, visitas para sus "
            "medicamentos si los toma, y el resto de su vida sigue su curso alrededor de ellas."
        ),
        "who_it_suits": (
            "People with a stable place to live and some support around them, and anyone "
            "stepping down from residential care."
        ),
        "who_it_suits_es": (
            "Personas con un lugar estable donde vivir y algo de apoyo a su alrededor, y cualquier "
            "persona que termina la atención residencial y pasa a una menos intensa."
        ),
    },
    {
        "slug": "intensive-outpatient",
        "name": "Intensive outpatient",
        "name_es": "Ambulatorio intensivo",
        "kind": "outpatient",
        "summary": "About 9 or more hours a week of treatment, living at home.",
        "summary_es": "Unas 9 horas o más de tratamiento por semana, mientras vive en su casa.",
        "samhsa_codes": ["OIT"],
        "description": (
            "More hours than regular outpatient care, often three or four sessions of three "
            "hours a week, many of them in the evening, while you go on living at home."
        ),
        "description_es": (
            "Más horas que la atención ambulatoria regular, a menudo tres o cuatro sesiones de "
            "tres horas por semana, muchas de ellas por la noche, mientras usted sigue viviendo en "
            "su casa."
        ),
        "what_to_expect": (
            "Mostly group therapy and skills work, with individual sessions and drug testing. "
            "Programmes commonly last a couple of months."
        ),
        "what_to_expect_es": (
            "Sobre todo terapia en grupo y práctica de habilidades, con sesiones individuales y "
            "pruebas de drogas. Los programas suelen durar un par de meses."
        ),
        "who_it_suits": (
            "People who need more than a weekly session but can stay safely at home, or who are "
            "leaving residential care."
        ),
        "who_it_suits_es": (
            "Personas que necesitan más que una sesión semanal pero pueden quedarse en su casa con "
            "seguridad, o que salen de la atención residencial."
        ),
    },
    {
        "slug": "partial-hospitalization",
        "name": "Partial hospitalization (day treatment)",
        "name_es": "Hospitalización parcial (tratamiento de día)",
        "kind": "outpatient",
        "summary": "A full day of treatment, most days of the week, sleeping at home.",
        "summary_es": (
            "Un día completo de tratamiento, casi todos los días de la semana, y duerme en su casa."
        ),
        "samhsa_codes": ["ODT"],
        "description": (
            "Day treatment offers nearly as many hours as a residential programme, usually five "
            "or six hours a day, five days a week, but you go home every evening."
        ),
        "description_es": (
            "El tratamiento de día ofrece casi tantas horas como un programa residencial, por lo "
            "general cinco o seis horas al día, cinco días a la semana, pero usted vuelve a su "
            "casa cada noche."
        ),
        "what_to_expect": (
            "A schedule like a working day: groups, individual therapy, medical and psychiatric "
            "care, and meals on site."
        ),
        "what_to_expect_es": (
            "Un horario como el de una jornada de trabajo: grupos, terapia individual, atención "
            "médica y psiquiátrica, y comidas en el lugar."
        ),
        "who_it_suits": (
            "People who need a lot of support and medical attention but have a safe home to "
            "return to each night."
        ),
        "who_it_suits_es": (
            "Personas que necesitan mucho apoyo y atención médica pero tienen un hogar seguro al "
            "que volver cada noche."
        ),
    },
    {
        "slug": "detox",
        "name": "Detox (medically managed withdrawal)",
        "name_es": "Desintoxicación (abstinencia con atención médica)",
        "kind": "other",
        "summary": "Help through withdrawal safely, as a first step before treatment.",
        "summary_es": (
            "Ayuda para pasar la abstinencia con seguridad, como primer paso antes del tratamiento."
        ),
        "samhsa_codes": ["DT", "HID", "RD", "OD"],
        "description": (
            "Detox manages the physical withdrawal when someone stops drinking or using, with "
            "medication where needed. Withdrawal from alcohol or sedatives can be dangerous "
            "without medical care. Detox on its own is not treatment: it is the doorway to it."
        ),
        "description_es": (
            "La desintoxicación atiende la abstinencia física cuando alguien deja de beber o de "
            "consumir, con medicamentos si hacen falta. La abstinencia del alcohol o de los "
            "sedantes puede ser peligrosa sin atención médica. La desintoxicación por sí sola no "
            "es un tratamiento: es la puerta de entrada."
        ),
        "what_to_expect": (
            "Usually three to ten days, in a hospital, a residential unit or as an outpatient "
            "with daily check-ins, ending with a referral into ongoing care."
        ),
        "what_to_expect_es": (
            "Normalmente de tres a diez días, en un hospital, en una unidad residencial o de forma "
            "ambulatoria con controles diarios, y termina con una derivación a atención continua."
        ),
        "who_it_suits": (
            "Anyone physically dependent on alcohol, opioids or sedatives who plans to stop."
        ),
        "who_it_suits_es": (
            "Cualquier persona con dependencia física del alcohol, los opioides o los sedantes que "
            "planea dejarlos."
        ),
    },
]

MEDICATIONS: list[dict[str, Any]] = [
    {
        "slug": "buprenorphine",
        "name": "Buprenorphine",
        "name_es": "Buprenorfina",
        "summary": "Eases opioid withdrawal and cravings; prescribed by many doctors.",
        "summary_es": (
            "Alivia la abstinencia de opioides y los deseos de consumir; muchos médicos pueden "
            "recetarla."
        ),
        "samhsa_codes": ["BU", "BSDM", "BWN", "BWON", "BERI", "UB", "BUM", "BMW", "DB"],
    },
    {
        "slug": "methadone",
        "name": "Methadone",
        "name_es": "Metadona",
        "summary": "A daily medication for opioid use disorder, given at licensed clinics.",
        "summary_es": (
            "Un medicamento diario para el trastorno por consumo de opioides, que se da en "
            "clínicas autorizadas."
        ),
        "samhsa_codes": ["MU", "METH", "MM", "MMW", "DM"],
    },
    {
        "slug": "naltrexone",
        "name": "Naltrexone",
        "name_es": "Naltrexona",
        "summary": "Blocks the effect of opioids and reduces heavy drinking.",
        "summary_es": "Bloquea el efecto de los opioides y reduce el consumo excesivo de alcohol.",
        "samhsa_codes": ["NU", "NXN", "VTRL", "UN", "RPN"],
    },
    {
        "slug": "acamprosate",
        "name": "Acamprosate",
        "name_es": "Acamprosato",
        "summary": "Helps people who have stopped drinking to stay stopped.",
        "summary_es": "Ayuda a quienes ya dejaron de beber a seguir sin beber.",
        "samhsa_codes": ["ACM"],
    },
    {
        "slug": "disulfiram",
        "name": "Disulfiram",
        "name_es": "Disulfiram",
        "summary": "Makes drinking alcohol cause an unpleasant reaction.",
        "summary_es": "Hace que beber alcohol cause una reacción desagradable.",
        "samhsa_codes": ["DSF"],
    },
]

PAYMENT_OPTIONS: list[dict[str, Any]] = [
    {"slug": "medicaid", "name": "Medicaid", "name_es": "Medicaid", "samhsa_codes": ["MD"]},
    {"slug": "medicare", "name": "Medicare", "name_es": "Medicare", "samhsa_codes": ["MC"]},
    {
        "slug": "private-insurance",
        "name": "Private insurance",
        "name_es": "Seguro médico privado",
        "samhsa_codes": ["PI"],
    },
    {
        "slug": "self-pay",
        "name": "Self-pay (cash)",
        "name_es": "Pago por cuenta propia (efectivo)",
        "samhsa_codes": ["SF"],
    },
    {
        "slug": "sliding-scale",
        "name": "Sliding fee scale",
        "name_es": "Tarifa según ingresos (escala móvil)",
        "samhsa_codes": ["SS"],
    },
    {"slug": "free", "name": "Free of charge", "name_es": "Gratis", "samhsa_codes": ["NP"]},
    {
        "slug": "military",
        "name": "Military insurance (TRICARE)",
        "name_es": "Seguro militar (TRICARE)",
        "samhsa_codes": ["MI"],
    },
    {
        "slug": "payment-assistance",
        "name": "Payment assistance",
        "name_es": "Ayuda con el pago",
        "samhsa_codes": ["PA"],
    },
    {
        "slug": "state-insurance",
        "name": "State health plan",
        "name_es": "Plan de salud estatal",
        "samhsa_codes": ["SI"],
    },
    {
        "slug": "ihs-tribal",
        "name": "IHS, tribal or urban Indian funds",
        "name_es": "Fondos del IHS, tribales o indígenas urbanos",
        "samhsa_codes": ["ITU"],
    },
    # SAMHSA has no code for financing; admins set it by hand on the listings that offer it.
    {
        "slug": "financing",
        "name": "Financing plans",
        "name_es": "Planes de financiamiento",
        "samhsa_codes": [],
    },
]

POPULATIONS: list[dict[str, Any]] = [
    {
        "slug": "adolescents",
        "name": "Adolescents",
        "name_es": "Adolescentes",
        "samhsa_codes": ["AD", "CHLD"],
    },
    {
        "slug": "young-adults",
        "name": "Young adults",
        "name_es": "Adultos jóvenes",
        "samhsa_codes": ["TAY", "YAD"],
    },
    {"slug": "adults", "name": "Adults", "name_es": "Adultos", "samhsa_codes": ["ADLT"]},
    {
        "slug": "seniors",
        "name": "Seniors",
        "name_es": "Personas mayores",
        "samhsa_codes": ["SE", "SNR"],
    },
    {"slug": "women", "name": "Women", "name_es": "Mujeres", "samhsa_codes": ["WN", "FEM"]},
    {"slug": "men", "name": "Men", "name_es": "Hombres", "samhsa_codes": ["MN", "MALE"]},
    {
        "slug": "pregnant-women",
        "name": "Pregnant or postpartum women",
        "name_es": "Mujeres embarazadas o en el posparto",
        "samhsa_codes": ["PW"],
    },
    {"slug": "veterans", "name": "Veterans", "name_es": "Veteranos", "samhsa_codes": ["VET"]},
    {
        "slug": "military",
        "name": "Active-duty military and families",
        "name_es": "Militares en servicio activo y sus familias",
        "samhsa_codes": ["ADM", "MF"],
    },
    {
        "slug": "lgbtq",
        "name": "LGBTQ+ people",
        "name_es": "Personas LGBTQ+",
        "samhsa_codes": ["GL"],
    },
    {
        "slug": "criminal-justice",
        "name": "People in the justice system",
        "name_es": "Personas en el sistema de justicia",
        "samhsa_codes": ["CJ"],
    },
    {
        "slug": "co-occurring",
        "name": "Co-occurring mental illness",
        "name_es": "Enfermedad mental concurrente",
        "samhsa_codes": ["CO"],
    },
    {
        "slug": "trauma",
        "name": "People who have experienced trauma",
        "name_es": "Personas que han vivido un trauma",
        "samhsa_codes": ["TRMA"],
    },
]

LANGUAGES: list[dict[str, Any]] = [
    {"slug": "spanish", "name": "Spanish", "name_es": "Español", "samhsa_codes": ["SP"]},
    {"slug": "sign-language", "name": "Sign language", "name_es": "Lengua de señas",
     "samhsa_codes": ["AH"]},
    {"slug": "native-american", "name": "American Indian or Alaska Native languages",
     "name_es": "Idiomas indígenas de Estados Unidos y de Alaska",
     "samhsa_codes": ["NX", "N24", "N40"]},
    {"slug": "arabic", "name": "Arabic", "name_es": "Árabe", "samhsa_codes": ["F4"]},
    {"slug": "chinese", "name": "Chinese", "name_es": "Chino", "samhsa_codes": ["F17"]},
    {"slug": "creole", "name": "Creole", "name_es": "Criollo", "samhsa_codes": ["F19"]},
    {"slug": "farsi", "name": "Farsi", "name_es": "Farsi", "samhsa_codes": ["F25"]},
    {"slug": "french", "name": "French", "name_es": "Francés", "samhsa_codes": ["F28"]},
    {"slug": "german", "name": "German", "name_es": "Alemán", "samhsa_codes": ["F30"]},
    {"slug": "greek", "name": "Greek", "name_es": "Griego", "samhsa_codes": ["F31"]},
    {"slug": "hebrew", "name": "Hebrew", "name_es": "Hebreo", "samhsa_codes": ["F35"]},
    {"slug": "hindi", "name": "Hindi", "name_es": "Hindi", "samhsa_codes": ["F36"]},
    {"slug": "hmong", "name": "Hmong", "name_es": "Hmong", "samhsa_codes": ["F37"]},
    {"slug": "italian", "name": "Italian", "name_es": "Italiano", "samhsa_codes": ["F42"]},
    {"slug": "japanese", "name": "Japanese", "name_es": "Japonés", "samhsa_codes": ["F43"]},
    {"slug": "korean", "name": "Korean", "name_es": "Coreano", "samhsa_codes": ["F47"]},
    {"slug": "polish", "name": "Polish", "name_es": "Polaco", "samhsa_codes": ["F66"]},
    {"slug": "portuguese", "name": "Portuguese", "name_es": "Portugués", "samhsa_codes": ["F67"]},
    {"slug": "russian", "name": "Russian", "name_es": "Ruso", "samhsa_codes": ["F70"]},
    {"slug": "tagalog", "name": "Tagalog", "name_es": "Tagalo", "samhsa_codes": ["F81"]},
    {"slug": "vietnamese", "name": "Vietnamese", "name_es": "Vietnamita", "samhsa_codes": ["F92"]},
]  # fmt: skip

# Organisations' proper names stay in English in Spanish too.
ACCREDITATIONS: list[dict[str, Any]] = [
    {"slug": "state-licence", "name": "State licence or certification",
     "name_es": "Licencia o certificación estatal", "samhsa_codes": ["STAG", "STMH", "STDH"]},
    {"slug": "carf", "name": "CARF accreditation", "name_es": "Acreditación de CARF",
     "samhsa_codes": ["CARF"]},
    {"slug": "joint-commission", "name": "The Joint Commission",
     "name_es": "The Joint Commission", "samhsa_codes": ["JC"]},
    {"slug": "coa", "name": "Council on Accreditation (COA)",
     "name_es": "Council on Accreditation (COA)", "samhsa_codes": ["COA"]},
    {"slug": "hfap", "name": "Healthcare Facilities Accreditation Program",
     "name_es": "Healthcare Facilities Accreditation Program", "samhsa_codes": ["HFAP"]},
    {"slug": "ncqa", "name": "NCQA", "name_es": "NCQA", "samhsa_codes": ["NCQA"]},
    {"slug": "hospital-licence", "name": "Hospital licence", "name_es": "Licencia de hospital",
     "samhsa_codes": ["HLA"]},
    {"slug": "fqhc", "name": "Federally Qualified Health Center",
     "name_es": "Centro de salud calificado por el gobierno federal (FQHC)",
     "samhsa_codes": ["FQHC"]},
    {"slug": "samhsa-otp", "name": "SAMHSA-certified opioid treatment program",
     "name_es": "Programa de tratamiento de opioides certificado por SAMHSA",
     "samhsa_codes": ["SOTP"]},
    {"slug": "dea", "name": "DEA registration", "name_es": "Registro ante la DEA",
     "samhsa_codes": ["DEA"]},
]  # fmt: skip


def sync_vocabulary(get_model) -> None:
    """Create or update every term by slug, in both languages, as written here (an editor's
    changes to a term listed here are replaced, Spanish as English). ``get_model`` is
    ``apps.get_model`` (live models, or a migration's historical ones)."""
    from centers.models.taxonomy import TERM_KINDS  # the registry lists these definitions

    for kind in TERM_KINDS:
        model = get_model("centers", kind.model.__name__)
        for position, term in enumerate(kind.vocabulary):
            defaults = {"position": position, "description": "", "summary": "", **term}
            defaults.pop("slug")
            model.objects.update_or_create(slug=term["slug"], defaults=defaults)
