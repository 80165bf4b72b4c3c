"""Fill the vocabulary's Spanish (``name_es``, ``summary_es``...) on the terms that exist.

A frozen copy of the Spanish ``centers.vocabulary`` held when this migration was written, as in
0002: the migration does the same thing forever. A field an editor has already written in Spanish
is left as it is; only blank ones are filled. On a fresh database 0002 loads the English terms
and this gives them their Spanish.
"""

from django.db import migrations

# Term model name -> slug -> Spanish field -> text.
SPANISH = {'TherapyType': {'cbt': {'name_es': 'Terapia cognitivo-conductual (TCC)',
                         'summary_es': 'Reconozca los pensamientos y las situaciones que llevan '
                                       'al consumo, y practique otras formas de responder.',
                         'description_es': 'La TCC parte de la idea de que lo que pensamos, '
                                           'sentimos y hacemos está conectado. Con un terapeuta, '
                                           'usted identifica los momentos que suelen terminar en '
                                           'beber o consumir: el lugar, el estado de ánimo, el '
                                           'pensamiento que llega primero. Luego ensaya otras '
                                           'maneras de pasar por esos momentos hasta que se '
                                           'vuelven hábitos propios.',
                         'what_to_expect_es': 'Las sesiones suelen ser semanales, a solas o en '
                                              'un grupo pequeño, y duran alrededor de una hora. '
                                              'Son prácticas: quizá lleve un breve diario de sus '
                                              'deseos de consumir, repase paso a paso un momento '
                                              'difícil reciente y salga con una habilidad para '
                                              'probar antes de la siguiente sesión.',
                         'who_it_suits_es': 'Casi cualquier persona, con casi cualquier '
                                            'sustancia. Es uno de los enfoques más estudiados y '
                                            'a menudo se combina con medicamentos y con otras '
                                            'terapias.'},
                 'dbt': {'name_es': 'Terapia dialéctica conductual (TDC)',
                         'summary_es': 'Habilidades para manejar emociones intensas, momentos de '
                                       'angustia y las relaciones.',
                         'description_es': 'La TDC surgió de la TCC para personas que sienten '
                                           'las emociones con mucha intensidad. Combina aceptar '
                                           'dónde está usted hoy con un trabajo constante hacia '
                                           'el cambio, y enseña cuatro grupos de habilidades: '
                                           'atención plena (mindfulness), pasar una crisis sin '
                                           'empeorarla, manejar las emociones y pedir a los '
                                           'demás lo que usted necesita.',
                         'what_to_expect_es': 'Un programa completo suele combinar una sesión '
                                              'individual cada semana, un grupo semanal de '
                                              'habilidades que se parece un poco a una clase y '
                                              'la opción de breves llamadas de apoyo entre '
                                              'sesiones.',
                         'who_it_suits_es': 'Personas cuyo consumo está ligado a emociones '
                                            'abrumadoras, a autolesiones o a pensamientos de '
                                            'suicidio, o que también viven con un problema de '
                                            'salud mental.'},
                 'contingency-management': {'name_es': 'Manejo de contingencias',
                                            'summary_es': 'Recompensas pequeñas e inmediatas por '
                                                          'metas como una prueba de drogas '
                                                          'negativa.',
                                            'description_es': 'El manejo de contingencias premia '
                                                              'avances que se pueden comprobar, '
                                                              'como una prueba de drogas '
                                                              'negativa o asistir a todas las '
                                                              'sesiones de la semana. Las '
                                                              'recompensas son vales para '
                                                              'productos o servicios, o sorteos '
                                                              'de premios. La recompensa llega '
                                                              'cuando los beneficios de la '
                                                              'recuperación todavía se sienten '
                                                              'lejanos, y eso ayuda en las '
                                                              'primeras semanas.',
                                            'what_to_expect_es': 'Le hacen pruebas con un '
                                                                 'horario fijo, a menudo dos o '
                                                                 'tres veces por semana. Cada '
                                                                 'meta cumplida gana una '
                                                                 'recompensa; el valor de los '
                                                                 'vales suele subir con cada '
                                                                 'logro seguido y vuelve a '
                                                                 'empezar si no se cumple una '
                                                                 'meta. Los programas suelen '
                                                                 'durar unos tres meses.',
                                            'who_it_suits_es': 'Tiene evidencia sólida para '
                                                               'estimulantes como la '
                                                               'metanfetamina y la cocaína, para '
                                                               'los que no hay ningún '
                                                               'medicamento aprobado, y también '
                                                               'se usa junto con medicamentos '
                                                               'para el consumo de opioides.'},
                 'motivational-interviewing': {'name_es': 'Entrevista motivacional',
                                               'summary_es': 'Una conversación que le ayuda a '
                                                             'encontrar sus propias razones para '
                                                             'cambiar.',
                                               'description_es': 'La mayoría de las personas '
                                                                 'tienen sentimientos '
                                                                 'encontrados sobre cambiar. La '
                                                                 'entrevista motivacional es una '
                                                                 'forma de consejería que lo '
                                                                 'toma en serio: el consejero '
                                                                 'escucha con atención, le '
                                                                 'repite lo que usted dice y le '
                                                                 'ayuda a sopesar sus propias '
                                                                 'razones, sin sermones ni '
                                                                 'presiones.',
                                               'what_to_expect_es': 'A menudo son solo de una a '
                                                                    'cuatro sesiones, a veces al '
                                                                    'comienzo del tratamiento. '
                                                                    'Espere más preguntas que '
                                                                    'consejos, y un plan que sea '
                                                                    'suyo y no uno que le '
                                                                    'entreguen hecho.',
                                               'who_it_suits_es': 'Cualquier persona que no esté '
                                                                  'segura de querer cambiar, o '
                                                                  'que se haya sentido juzgada '
                                                                  'en un tratamiento anterior. '
                                                                  'Suele abrir el camino a un '
                                                                  'programa más largo.'},
                 'twelve-step-facilitation': {'name_es': 'Facilitación de los 12 pasos',
                                              'summary_es': 'Le prepara para unirse y seguir '
                                                            'asistiendo a grupos de ayuda mutua '
                                                            'como AA o NA.',
                                              'description_es': 'La facilitación de los doce '
                                                                'pasos es una terapia breve y '
                                                                'estructurada que presenta las '
                                                                'ideas de las fraternidades de '
                                                                'doce pasos y le ayuda a empezar '
                                                                'a ir a las reuniones, para que '
                                                                'ese apoyo siga ahí mucho '
                                                                'después de que termine el '
                                                                'tratamiento formal.',
                                              'what_to_expect_es': 'Normalmente de 12 a 15 '
                                                                   'sesiones semanales con un '
                                                                   'consejero, cada una sobre '
                                                                   'una idea, y la invitación a '
                                                                   'asistir a reuniones entre '
                                                                   'sesiones y a buscar un '
                                                                   'padrino o una madrina.',
                                              'who_it_suits_es': 'Personas que desean un apoyo '
                                                                 'duradero de sus pares y están '
                                                                 'dispuestas a ir a reuniones en '
                                                                 'grupo. Seguir yendo a las '
                                                                 'reuniones después es gratis, '
                                                                 'viva donde viva.'},
                 'mat': {'name_es': 'Tratamiento asistido con medicamentos (MAT)',
                         'summary_es': 'Medicamentos como la buprenorfina, la metadona o la '
                                       'naltrexona, junto con consejería.',
                         'description_es': 'El tratamiento asistido con medicamentos usa '
                                           'medicamentos aprobados para el trastorno por consumo '
                                           'de opioides o de alcohol, junto con consejería. La '
                                           'buprenorfina y la metadona alivian la abstinencia y '
                                           'los deseos de consumir; la naltrexona bloquea el '
                                           'efecto de los opioides y reduce el consumo de '
                                           'alcohol. Para el trastorno por consumo de opioides '
                                           'es el tratamiento con más respaldo que existe, y '
                                           'reduce el riesgo de morir por una sobredosis.',
                         'what_to_expect_es': 'Primero, una evaluación médica; luego, una dosis '
                                              'que se ajusta durante los primeros días o '
                                              'semanas. La metadona se da en una clínica '
                                              'autorizada, al principio todos los días; muchos '
                                              'médicos pueden recetar la buprenorfina y la '
                                              'naltrexona. La consejería continúa al mismo '
                                              'tiempo.',
                         'who_it_suits_es': 'Adultos con trastorno por consumo de opioides o de '
                                            'alcohol, también durante el embarazo (con atención '
                                            'especializada). Tomar los medicamentos como se los '
                                            'recetan es recuperación, no un sustituto de ella.'}},
 'CareSetting': {'inpatient': {'name_es': 'Hospitalización',
                               'summary_es': 'Atención médica las 24 horas en un hospital.',
                               'description_es': 'Usted se queda en un hospital, con médicos y '
                                                 'enfermeros disponibles de día y de noche. Es '
                                                 'para personas que necesitan una vigilancia '
                                                 'médica cercana: una abstinencia peligrosa, '
                                                 'otra enfermedad grave o una crisis.',
                               'what_to_expect_es': 'Las estadías suelen ser cortas, de unos '
                                                    'días a un par de semanas. El día gira en '
                                                    'torno a los controles médicos, los '
                                                    'medicamentos, el descanso y las primeras '
                                                    'sesiones de consejería, y termina con un '
                                                    'plan sobre dónde continuará la atención.',
                               'who_it_suits_es': 'Personas cuya abstinencia o cuya salud las '
                                                  'pone en riesgo médico.'},
                 'residential': {'name_es': 'Residencial',
                                 'summary_es': 'Viva en el centro durante semanas o meses, lejos '
                                               'de lo que cada día le lleva a consumir.',
                                 'description_es': 'Usted vive en el centro, por lo general un '
                                                   'lugar parecido a un hogar y no un hospital, '
                                                   'con personal presente a toda hora. Los '
                                                   'programas a corto plazo duran unas semanas; '
                                                   'los de largo plazo pueden durar varios '
                                                   'meses.',
                                 'what_to_expect_es': 'Un día estructurado: terapia individual y '
                                                      'en grupo, sesiones de habilidades, '
                                                      'comidas en común, ejercicio y tiempo de '
                                                      'tranquilidad, y a menudo sesiones con la '
                                                      'familia los fines de semana.',
                                 'who_it_suits_es': 'Personas cuyo hogar les dificulta la '
                                                    'recuperación, que han probado la atención '
                                                    'ambulatoria sin éxito o que necesitan más '
                                                    'estructura que unas pocas horas por '
                                                    'semana.'},
                 'outpatient': {'name_es': 'Ambulatorio',
                                'summary_es': 'Sesiones regulares mientras vive en su casa y '
                                              'sigue trabajando o estudiando.',
                                'description_es': 'Usted vive en su casa y acude a citas, de una '
                                                  'a unas pocas horas por semana. Es la forma de '
                                                  'tratamiento más común e incluye las clínicas '
                                                  'que dan metadona, buprenorfina o naltrexona.',
                                'what_to_expect_es': 'Sesiones individuales o en grupo una o dos '
                                                     'veces por semana, visitas para sus '
                                                     'medicamentos si los toma, y el resto de su '
                                                     'vida sigue su curso alrededor de ellas.',
                                'who_it_suits_es': 'Personas con un lugar estable donde vivir y '
                                                   'algo de apoyo a su alrededor, y cualquier '
                                                   'persona que termina la atención residencial '
                                                   'y pasa a una menos intensa.'},
                 'intensive-outpatient': {'name_es': 'Ambulatorio intensivo',
                                          'summary_es': 'Unas 9 horas o más de tratamiento por '
                                                        'semana, mientras vive en su casa.',
                                          'description_es': 'Más horas que la atención '
                                                            'ambulatoria regular, a menudo tres '
                                                            'o cuatro sesiones de tres horas por '
                                                            'semana, muchas de ellas por la '
                                                            'noche, mientras usted sigue '
                                                            'viviendo en su casa.',
                                          'what_to_expect_es': 'Sobre todo terapia en grupo y '
                                                               'práctica de habilidades, con '
                                                               'sesiones individuales y pruebas '
                                                               'de drogas. Los programas suelen '
                                                               'durar un par de meses.',
                                          'who_it_suits_es': 'Personas que necesitan más que una '
                                                             'sesión semanal pero pueden '
                                                             'quedarse en su casa con seguridad, '
                                                             'o que salen de la atención '
                                                             'residencial.'},
                 'partial-hospitalization': {'name_es': 'Hospitalización parcial (tratamiento de '
                                                        'día)',
                                             'summary_es': 'Un día completo de tratamiento, casi '
                                                           'todos los días de la semana, y '
                                                           'duerme en su casa.',
                                             'description_es': 'El tratamiento de día ofrece '
                                                               'casi tantas horas como un '
                                                               'programa residencial, por lo '
                                                               'general cinco o seis horas al '
                                                               'día, cinco días a la semana, '
                                                               'pero usted vuelve a su casa cada '
                                                               'noche.',
                                             'what_to_expect_es': 'Un horario como el de una '
                                                                  'jornada de trabajo: grupos, '
                                                                  'terapia individual, atención '
                                                                  'médica y psiquiátrica, y '
                                                                  'comidas en el lugar.',
                                             'who_it_suits_es': 'Personas que necesitan mucho '
                                                                'apoyo y atención médica pero '
                                                                'tienen un hogar seguro al que '
                                                                'volver cada noche.'},
                 'detox': {'name_es': 'Desintoxicación (abstinencia con atención médica)',
                           'summary_es': 'Ayuda para pasar la abstinencia con seguridad, como '
                                         'primer paso antes del tratamiento.',
                           'description_es': 'La desintoxicación atiende la abstinencia física '
                                             'cuando alguien deja de beber o de consumir, con '
                                             'medicamentos si hacen falta. La abstinencia del '
                                             'alcohol o de los sedantes puede ser peligrosa sin '
                                             'atención médica. La desintoxicación por sí sola no '
                                             'es un tratamiento: es la puerta de entrada.',
                           'what_to_expect_es': 'Normalmente de tres a diez días, en un '
                                                'hospital, en una unidad residencial o de forma '
                                                'ambulatoria con controles diarios, y termina '
                                                'con una derivación a atención continua.',
                           'who_it_suits_es': 'Cualquier persona con dependencia física del '
                                              'alcohol, los opioides o los sedantes que planea '
                                              'dejarlos.'}},
 'Medication': {'buprenorphine': {'name_es': 'Buprenorfina',
                                  'summary_es': 'Alivia la abstinencia de opioides y los deseos '
                                                'de consumir; muchos médicos pueden recetarla.'},
                'methadone': {'name_es': 'Metadona',
                              'summary_es': 'Un medicamento diario para el trastorno por consumo '
                                            'de opioides, que se da en clínicas autorizadas.'},
                'naltrexone': {'name_es': 'Naltrexona',
                               'summary_es': 'Bloquea el efecto de los opioides y reduce el '
                                             'consumo excesivo de alcohol.'},
                'acamprosate': {'name_es': 'Acamprosato',
                                'summary_es': 'Ayuda a quienes ya dejaron de beber a seguir sin '
                                              'beber.'},
                'disulfiram': {'name_es': 'Disulfiram',
                               'summary_es': 'Hace que beber alcohol cause una reacción '
                                             'desagradable.'}},
 'PaymentOption': {'medicaid': {'name_es': 'Medicaid'},
                   'medicare': {'name_es': 'Medicare'},
                   'private-insurance': {'name_es': 'Seguro médico privado'},
                   'self-pay': {'name_es': 'Pago por cuenta propia (efectivo)'},
                   'sliding-scale': {'name_es': 'Tarifa según ingresos (escala móvil)'},
                   'free': {'name_es': 'Gratis'},
                   'military': {'name_es': 'Seguro militar (TRICARE)'},
                   'payment-assistance': {'name_es': 'Ayuda con el pago'},
                   'state-insurance': {'name_es': 'Plan de salud estatal'},
                   'ihs-tribal': {'name_es': 'Fondos del IHS, tribales o indígenas urbanos'},
                   'financing': {'name_es': 'Planes de financiamiento'}},
 'Population': {'adolescents': {'name_es': 'Adolescentes'},
                'young-adults': {'name_es': 'Adultos jóvenes'},
                'adults': {'name_es': 'Adultos'},
                'seniors': {'name_es': 'Personas mayores'},
                'women': {'name_es': 'Mujeres'},
                'men': {'name_es': 'Hombres'},
                'pregnant-women': {'name_es': 'Mujeres embarazadas o en el posparto'},
                'veterans': {'name_es': 'Veteranos'},
                'military': {'name_es': 'Militares en servicio activo y sus familias'},
                'lgbtq': {'name_es': 'Personas LGBTQ+'},
                'criminal-justice': {'name_es': 'Personas en el sistema de justicia'},
                'co-occurring': {'name_es': 'Enfermedad mental concurrente'},
                'trauma': {'name_es': 'Personas que han vivido un trauma'}},
 'Language': {'spanish': {'name_es': 'Español'},
              'sign-language': {'name_es': 'Lengua de señas'},
              'native-american': {'name_es': 'Idiomas indígenas de Estados Unidos y de Alaska'},
              'arabic': {'name_es': 'Árabe'},
              'chinese': {'name_es': 'Chino'},
              'creole': {'name_es': 'Criollo'},
              'farsi': {'name_es': 'Farsi'},
              'french': {'name_es': 'Francés'},
              'german': {'name_es': 'Alemán'},
              'greek': {'name_es': 'Griego'},
              'hebrew': {'name_es': 'Hebreo'},
              'hindi': {'name_es': 'Hindi'},
              'hmong': {'name_es': 'Hmong'},
              'italian': {'name_es': 'Italiano'},
              'japanese': {'name_es': 'Japonés'},
              'korean': {'name_es': 'Coreano'},
              'polish': {'name_es': 'Polaco'},
              'portuguese': {'name_es': 'Portugués'},
              'russian': {'name_es': 'Ruso'},
              'tagalog': {'name_es': 'Tagalo'},
              'vietnamese': {'name_es': 'Vietnamita'}},
 'Accreditation': {'state-licence': {'name_es': 'Licencia o certificación estatal'},
                   'carf': {'name_es': 'Acreditación de CARF'},
                   'joint-commission': {'name_es': 'The Joint Commission'},
                   'coa': {'name_es': 'Council on Accreditation (COA)'},
                   'hfap': {'name_es': 'Healthcare Facilities Accreditation Program'},
                   'ncqa': {'name_es': 'NCQA'},
                   'hospital-licence': {'name_es': 'Licencia de hospital'},
                   'fqhc': {'name_es': 'Centro de salud calificado por el gobierno federal '
                                       '(FQHC)'},
                   'samhsa-otp': {'name_es': 'Programa de tratamiento de opioides certificado '
                                             'por SAMHSA'},
                   'dea': {'name_es': 'Registro ante la DEA'}}}


def fill(apps, schema_editor):
    for model_name, terms in SPANISH.items():
        model = apps.get_model("centers", model_name)
        for slug, fields in terms.items():
            for field, text in fields.items():
                # Only where it is still blank: never over an editor's Spanish.
                model.objects.filter(slug=slug, **{field: ""}).update(**{field: text})


class Migration(migrations.Migration):
    dependencies = [("centers", "0008_spanish_catalog_fields")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
