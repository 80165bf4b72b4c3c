"""Spanish names of SAMHSA's service categories and service codes, written by us.

Source of the codes and their English names: SAMHSA, National Directory of Substance Use
Treatment Facilities 2022, sheet "Service Code Reference" (225 codes in 31 categories; public
domain), plus the mental-health directory's own codes the project knows (``MH``, ``DBT``). The
Spanish follows the usage of US Spanish health sources (SAMHSA's and MedlinePlus's Spanish
pages): "trastorno por consumo de sustancias", "consejería", "ambulatorio"; established
Spanish acronyms where those sources use one (TCC, VIH), the English acronym where they keep it
(MAT, OTP, DEA). Organisations' proper names stay in English.

The importer gives a new category or code its Spanish name from here and never replaces one an
editor has written (``centers.importer.codes``); a data migration filled the existing rows.
A code missing here reads in English on Spanish pages until an editor writes its name.
"""

# SAMHSA category code -> Spanish name.
CATEGORY_NAMES_ES: dict[str, str] = {
    "TC": "Tipo de atención",
    "SET": "Entorno del servicio (p. ej., ambulatorio, residencial, hospitalización)",
    "HOSP": "Hospitales",
    "OM": "Medicamentos para opioides usados en el tratamiento",
    "OMSC": "Fuente externa de los medicamentos para opioides",
    "AUT": "Tipo de tratamiento del trastorno por consumo de alcohol",
    "SMAT": "Fuente externa de los medicamentos para el trastorno por consumo de alcohol",
    "OT": "Tipo de tratamiento para opioides",
    "PHR": "Farmacoterapias",
    "TAP": "Enfoques de tratamiento",
    "FOP": "Administración del centro (p. ej., privada, pública)",
    "LCA": "Licencia, certificación o acreditación",
    "PAY": "Pagos, seguros y fondos que acepta",
    "PYAS": "Ayuda con el pago",
    "SG": "Programas o grupos especiales",
    "ASPT": "Evaluación y servicios previos al tratamiento",
    "SCR": "Pruebas",
    "TRSRV": "Servicios de transición",
    "RSS": "Servicios de apoyo para la recuperación",
    "OTHR": "Otros servicios",
    "DETOX": "Servicios de desintoxicación (abstinencia con atención médica)",
    "ECS": "Servicios de educación y consejería",
    "MSRV": "Servicios médicos",
    "SMP": "Política del centro sobre fumar",
    "AGE": "Grupos de edad que atiende",
    "GN": "Sexo de las personas que atiende",
    "EXCL": "Servicios exclusivos",
    "SL": "Servicios de idiomas",
    "OL": "Otros idiomas",
    "FVP": "Política del centro sobre vapear",
    "AS": "Servicios complementarios",
}

# SAMHSA service code -> Spanish name, in the reference's order, category by category.
SERVICE_NAMES_ES: dict[str, str] = {
    # TC: Type of Care
    "SA": "Tratamiento por consumo de sustancias",
    "DT": "Desintoxicación",
    "HH": "Vivienda de transición, casa de medio camino o vivienda libre de sustancias",
    "SUMH": (
        "Tratamiento de trastornos concurrentes: consumo de sustancias junto con una enfermedad "
        "mental grave en adultos o un trastorno emocional grave en niños"
    ),
    "MH": "Tratamiento de salud mental",  # mental-health directory
    # SET: Service Setting
    "HI": "Hospitalización (atención en el hospital las 24 horas)",
    "OP": "Ambulatorio",
    "RES": "Residencial (las 24 horas)",
    "HID": "Desintoxicación con hospitalización",
    "HIT": "Tratamiento con hospitalización",
    "OD": "Desintoxicación ambulatoria",
    "ODT": "Tratamiento ambulatorio de día u hospitalización parcial",
    "OIT": "Tratamiento ambulatorio intensivo",
    "OMB": "Tratamiento ambulatorio con metadona, buprenorfina o naltrexona",
    "ORT": "Tratamiento ambulatorio regular",
    "RD": "Desintoxicación residencial",
    "RL": "Residencial a largo plazo",
    "RS": "Residencial a corto plazo",
    # HOSP: Hospitals
    "GH": "Hospital general (incluidos los hospitales de Asuntos de Veteranos, VA)",
    "PSYH": "Hospital psiquiátrico",
    # OM: Opioid Medications used in Treatment
    "MU": "Usa metadona en el tratamiento",
    "BU": "Usa buprenorfina en el tratamiento",
    "NU": "Usa naltrexona en el tratamiento",
    # OMSC: External Opioid Medications Source
    "INPE": "Proveedor que receta, dentro de la red",
    "RPE": "Otro proveedor contratado que receta",
    "PC": "Sin relación formal con un proveedor que receta",
    # AUT: Type of Alcohol Use Disorder Treatment
    "NAUT": "No trata el trastorno por consumo de alcohol",
    "NMAUT": "No usa medicamentos para tratar el trastorno por consumo de alcohol",
    "ACMA": (
        "Acepta a pacientes que toman medicamentos para el trastorno por consumo de alcohol "
        "recetados en otro lugar"
    ),
    "PMAT": "Este centro administra o receta medicamentos para el trastorno por consumo de alcohol",
    # SMAT: External Source of Medications Used for Alcohol Use Disorder Treatment
    "AUINPE": "Proveedor que receta, dentro de la red",
    "AURPE": "Otro proveedor contratado que receta",
    "AUPC": "Sin relación formal con un proveedor que receta",
    # OT: Type of Opioid Treatment
    "DB": "Desintoxicación con buprenorfina",
    "BUM": "Mantenimiento con buprenorfina",
    "BMW": "Mantenimiento con buprenorfina por un tiempo determinado",
    "OTP": "Programa de tratamiento de opioides (OTP) con certificación federal",
    "DM": "Desintoxicación con metadona",
    "MM": "Mantenimiento con metadona",
    "MMW": "Mantenimiento con metadona por un tiempo determinado",
    "UB": "Receta buprenorfina",
    "UN": "Receta naltrexona",
    "RPN": "Prevención de recaídas con naltrexona",
    "PAIN": "Usa metadona o buprenorfina para tratar el dolor o como dosis de emergencia",
    "MOA": (
        "Acepta a pacientes en tratamiento asistido con medicamentos (MAT) recetados en otro lugar"
    ),
    "NMOA": "No usa tratamiento asistido con medicamentos (MAT) para el consumo de opioides",
    "ULC": "Desintoxicación con lofexidina o clonidina",
    "NOOP": "No trata trastornos por consumo de opioides",
    # PHR: Pharmacotherapies
    "ACM": "Acamprosato (Campral®)",
    "DSF": "Disulfiram",
    "METH": "Metadona",
    "BSDM": "Buprenorfina en implante subdérmico",
    "BWN": "Buprenorfina con naloxona",
    "BWON": "Buprenorfina sin naloxona",
    "BERI": "Buprenorfina (inyectable de liberación prolongada)",
    "NXN": "Naltrexona (oral)",
    "VTRL": "Naltrexona (inyectable de liberación prolongada)",
    "MHIV": "Medicamentos para el tratamiento del VIH",
    "MHCV": "Medicamentos para el tratamiento de la hepatitis C",
    "LFXD": "Lofexidina",
    "CLND": "Clonidina",
    "MPEP": "Medicamentos de profilaxis previa a la exposición (PrEP)",
    "MMD": "Medicamentos para trastornos mentales",
    "NRT": "Reemplazo de nicotina",
    "NSC": "Medicamentos sin nicotina para dejar de fumar o de consumir tabaco",
    # TAP: Treatment Approaches
    "ANG": "Manejo de la ira",
    "BIA": "Intervención breve",
    "CBT": "Terapia cognitivo-conductual (TCC)",
    "CMI": "Manejo de contingencias o incentivos motivacionales",
    "CRV": "Refuerzo comunitario con vales",
    "MOTI": "Entrevista motivacional",
    "MXM": "Modelo Matrix",
    "RELP": "Prevención de recaídas",
    "SACA": "Consejería para el trastorno por consumo de sustancias",
    "TRC": "Consejería sobre el trauma",
    "TELE": "Terapia por telemedicina o telesalud",
    "TWFA": "Facilitación de los 12 pasos",
    "DBT": "Terapia dialéctica conductual (TDC)",  # mental-health directory
    # FOP: Facility Operation
    "LCCG": "Gobierno local, del condado o de la comunidad",
    "DDF": "Departamento de Defensa",
    "IH": "Servicio de Salud Indígena (IHS)",
    "PVTP": "Organización privada con fines de lucro",
    "PVTN": "Organización privada sin fines de lucro",
    "STG": "Gobierno estatal",
    "TBG": "Gobierno tribal",
    "VAMC": "Departamento de Asuntos de Veteranos de EE. UU. (VA)",
    "FED": "Gobierno federal",
    # LCA: License/Certification/Accreditation
    "STAG": "Agencia estatal de tratamiento por consumo de sustancias",
    "STMH": "Departamento estatal de salud mental",
    "STDH": "Departamento estatal de salud",
    "CARF": "Commission on Accreditation of Rehabilitation Facilities (CARF)",
    "COA": "Council on Accreditation (COA)",
    "HFAP": "Healthcare Facilities Accreditation Program (HFAP)",
    "HLA": "Autoridad estatal de licencias de hospitales",
    "JC": "The Joint Commission",
    "NCQA": "National Committee for Quality Assurance (NCQA)",
    "FQHC": "Centro de salud calificado por el gobierno federal (FQHC)",
    "SOTP": "Certificación de SAMHSA como programa de tratamiento de opioides (OTP)",
    "DEA": "Administración para el Control de Drogas (DEA)",
    # PAY: Payment/Insurance/Funding Accepted
    "FSA": (
        "Fondos federales o de otro gobierno para programas de tratamiento por consumo de "
        "sustancias"
    ),
    "ITU": "Fondos del IHS, tribales o de programas indígenas urbanos (ITU)",
    "MC": "Medicare",
    "MD": "Medicaid",
    "MI": "Seguro militar federal (p. ej., TRICARE)",
    "NP": "No cobra (no acepta pagos)",
    "PI": "Seguro médico privado",
    "SF": "Efectivo o pago por cuenta propia",
    "SI": "Plan de seguro médico financiado por el estado, distinto de Medicaid",
    "SAMF": "Fondos o subvenciones globales de SAMHSA",
    # PYAS: Payment Assistance Available
    "PA": "Ayuda con el pago (pregunte al centro los detalles)",
    "SS": "Tarifa según sus ingresos (escala móvil según ingresos y otros factores)",
    # SG: Special Programs/Groups Offered
    "AD": "Adolescentes",
    "TAY": "Adultos jóvenes",
    "WN": "Mujeres adultas",
    "PW": "Mujeres embarazadas o en el posparto",
    "MN": "Hombres adultos",
    "SE": "Personas mayores",
    "GL": "Personas lesbianas, gais, bisexuales, transgénero o queer o que se cuestionan (LGBTQ)",
    "VET": "Veteranos",
    "ADM": "Militares en servicio activo",
    "MF": "Familiares de militares",
    "CJ": (
        "Personas en el sistema de justicia penal (salvo por manejar bajo los efectos del "
        "alcohol o drogas)"
    ),
    "CO": "Personas con trastornos mentales y por consumo de sustancias a la vez",
    "COPSU": "Personas con dolor y trastornos por consumo de sustancias a la vez",
    "HV": "Personas con VIH o sida",
    "XA": "Personas que han sufrido abuso sexual",
    "DV": "Personas que han sufrido violencia de pareja o violencia doméstica",
    "TRMA": "Personas que han vivido un trauma",
    # ASPT: Assessment/Pre-treatment
    "CMHA": "Evaluación completa de salud mental",
    "CSAA": "Evaluación completa del consumo de sustancias",
    "ISC": "Servicios provisionales mientras espera tratamiento",
    "OPC": "Acercamiento a personas en la comunidad",
    "MHPA": "Historia clínica completa y examen físico",
    "STU": "Detección del consumo de tabaco",
    "SSA": "Detección del consumo de sustancias",
    "SMHD": "Detección de trastornos mentales",
    "PIEC": "Intervencionista profesional o asesor educativo",
    # SCR: Testing
    "BABA": "Prueba de alcohol en el aliento o en la sangre",
    "DAOF": "Prueba de drogas y alcohol en saliva",
    "DAUT": "Prueba de drogas o alcohol en orina",
    "HIVT": "Prueba del VIH",
    "STDT": "Pruebas de enfermedades de transmisión sexual (ETS)",
    "TBS": "Detección de tuberculosis",
    "MST": "Control del síndrome metabólico",
    "HBT": "Prueba de la hepatitis B (VHB)",
    "HCT": "Prueba de la hepatitis C (VHC)",
    # TRSRV: Transitional Services
    "ACC": "Atención continua después del tratamiento",
    "DP": "Planificación del alta",
    "NOE": "Naloxona y educación sobre sobredosis",
    "OFD": "Seguimiento de los resultados después del alta",
    # RSS: Recovery Support Services
    "SHG": "Grupos de autoayuda",
    "HS": "Servicios de vivienda",
    "AOSS": "Ayuda para obtener servicios sociales",
    "RC": "Asesor de recuperación (recovery coach)",
    "PEER": "Mentoría o apoyo de pares",
    "EMP": "Orientación o capacitación para el empleo",
    # OTHR: Other Services
    "TGD": "Tratamiento del trastorno por juego",
    "TOD": "Tratamiento de otros trastornos adictivos",
    # DETOX: Detoxification (medical withdrawal) Services
    "ADTX": "Desintoxicación de alcohol",
    "BDTX": "Desintoxicación de benzodiacepinas",
    "CDTX": "Desintoxicación de cocaína",
    "MDTX": "Desintoxicación de metanfetaminas",
    "ODTX": "Desintoxicación de opioides",
    "MDET": "Usa medicamentos de forma habitual durante la desintoxicación",
    # ECS: Education and Counseling Services
    "HAEC": "Educación, consejería o apoyo sobre el VIH o el sida",
    "TAEC": "Educación, consejería o apoyo sobre la hepatitis",
    "HEOH": "Educación para la salud (otros temas, aparte del VIH/sida o la hepatitis)",
    "SAE": "Educación sobre el trastorno por consumo de sustancias",
    "TCC": "Consejería para dejar de fumar, de vapear o de consumir tabaco",
    "ICO": "Consejería individual",
    "GCO": "Consejería en grupo",
    "FCO": "Consejería familiar",
    "MCO": "Consejería matrimonial o de pareja",
    "VOC": (
        "Capacitación vocacional o apoyo educativo (por ejemplo, cursos de secundaria o "
        "preparación para el GED)"
    ),
    # MSRV: Medical Services
    "HAV": "Vacuna contra la hepatitis A (VHA)",
    "HBV": "Vacuna contra la hepatitis B (VHB)",
    # SMP: Facility Smoking Policy
    "SMON": "No se permite fumar",
    "SMOP": "Se permite fumar sin restricciones",
    "SMPD": "Se permite fumar en un área designada",
    # AGE: Age Groups Accepted
    "ADLT": "Adultos",
    "CHLD": "Niños y adolescentes",
    "SNR": "Personas mayores",
    "YAD": "Adultos jóvenes",
    # GN: Gender Accepted
    "FEM": "Mujeres",
    "MALE": "Hombres",
    # EXCL: Exclusive Services
    "DU": (
        "Programa especial para personas con cargos por manejar bajo los efectos del alcohol o "
        "drogas (DUI/DWI)"
    ),
    "DUO": (
        "Atiende solo a personas con cargos por manejar bajo los efectos del alcohol o drogas "
        "(DUI/DWI)"
    ),
    "AUDO": "Atiende solo a personas con trastorno por consumo de alcohol",
    "OUDO": "Atiende solo a personas con trastorno por consumo de opioides",
    # SL: Language Services
    "SP": "Español",
    "AH": "Servicios en lengua de señas para personas sordas o con pérdida auditiva",
    "NX": "Idiomas indígenas de Estados Unidos y de Alaska",
    "FX": "Otros idiomas (aparte del español)",
    # OL: Other Languages
    "F4": "Árabe",
    "F17": "Chino (cualquier variedad)",
    "F19": "Criollo",
    "F25": "Farsi (persa)",
    "F28": "Francés",
    "F30": "Alemán",
    "F31": "Griego",
    "F35": "Hebreo",
    "F36": "Hindi",
    "F37": "Hmong",
    "F42": "Italiano",
    "F43": "Japonés",
    "F47": "Coreano",
    "F66": "Polaco",
    "F67": "Portugués",
    "F70": "Ruso",
    "F81": "Tagalo",
    "F92": "Vietnamita",
    "N24": "Ojibwa",
    "N40": "Yupik",
    # FVP: Facility Vaping Policy
    "VAPN": "No se permite vapear",
    "VAPP": "Se permite vapear sin restricciones",
    "VPPD": "Se permite vapear en un área designada",
    # AS: Ancillary Services
    "ACU": "Acupuntura",
    "BC": "Camas en el centro residencial para los hijos de los pacientes",
    "CM": "Manejo de casos",
    "CCC": "Cuidado infantil para los hijos de los pacientes",
    "DVFP": "Servicios por violencia doméstica, también para familiares o parejas",
    "EIH": "Intervención temprana para el VIH",
    "MHS": "Servicios de salud mental",
    "SSD": "Desarrollo de habilidades sociales",
    "TA": "Ayuda con el transporte",
    "IPC": "Servicios integrados de atención primaria",
    "SPS": "Servicios de prevención del suicidio",
}
