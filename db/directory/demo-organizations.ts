import { BRUSSELS_MUNICIPALITIES } from '../../domain/municipalities.ts';
import { SECTORS } from '../../domain/vocabularies.ts';
import type { Executor } from '../client.ts';
import { organizationExists } from '../queries/member-writes.ts';
import { insertOrganizations, type NewOrganization } from '../queries/organizations.ts';

/**
 * The demo directory: thousands of fictional organisations of the Brussels welfare field, spread
 * over the 19 municipalities (with their real postcodes) and the sectors of DESIGN.md, named and
 * described in Dutch and/or French. Deterministic: the same seed gives the same directory. All
 * names are made up; e-mail addresses and websites use the reserved `.example` domain.
 */

type Bilingual = { nl: string; fr: string };

/** Per sector: kinds of organisation, the services they offer, and who they are for. */
const SECTOR_VOCABULARY: Record<
  (typeof SECTORS)[number],
  { kinds: Bilingual[]; services: Bilingual[]; forWhom: Bilingual }
> = {
  disability: {
    kinds: [
      { nl: 'Dienst Begeleid Wonen', fr: "Service d'accompagnement" },
      { nl: 'Dagcentrum', fr: 'Centre de jour' },
      { nl: 'Beschutte werkplaats', fr: 'Entreprise de travail adapté' },
      { nl: 'Thuisbegeleidingsdienst', fr: "Service d'aide à domicile" },
    ],
    services: [
      { nl: 'begeleid wonen', fr: 'logement accompagné' },
      { nl: 'dagbesteding', fr: 'activités de jour' },
      { nl: 'thuisbegeleiding', fr: 'accompagnement à domicile' },
      { nl: 'aangepaste vrijetijd', fr: 'loisirs adaptés' },
      { nl: 'persoonlijke assistentie', fr: 'assistance personnelle' },
    ],
    forWhom: {
      nl: 'voor volwassenen met een verstandelijke of fysieke beperking',
      fr: 'pour les adultes en situation de handicap intellectuel ou physique',
    },
  },
  homelessness: {
    kinds: [
      { nl: 'Nachtopvang', fr: 'Asile de nuit' },
      { nl: 'Inloopcentrum', fr: "Centre d'accueil de jour" },
      { nl: 'Straathoekwerk', fr: 'Travail de rue' },
    ],
    services: [
      { nl: 'nachtopvang', fr: 'accueil de nuit' },
      { nl: 'straathoekwerk', fr: 'travail de rue' },
      { nl: 'housing first', fr: 'housing first' },
      { nl: 'douches en wasserette', fr: 'douches et lavoir' },
      { nl: 'referentieadres', fr: 'adresse de référence' },
    ],
    forWhom: { nl: 'voor dak- en thuislozen', fr: 'pour les personnes sans abri ou sans logement' },
  },
  mental_health: {
    kinds: [
      { nl: 'Centrum Geestelijke Gezondheidszorg', fr: 'Service de santé mentale' },
      { nl: 'Beschut Wonen', fr: 'Initiative d’habitation protégée' },
      { nl: 'Mobiel crisisteam', fr: 'Équipe mobile de crise' },
    ],
    services: [
      { nl: 'psychotherapie', fr: 'psychothérapie' },
      { nl: 'psychiatrische consultatie', fr: 'consultation psychiatrique' },
      { nl: 'crisisopvang', fr: 'accueil de crise' },
      { nl: 'zelfhulpgroep', fr: "groupe d'entraide" },
      { nl: 'dubbele diagnose', fr: 'double diagnostic' },
    ],
    forWhom: {
      nl: 'voor volwassenen en jongeren met psychische kwetsbaarheid',
      fr: 'pour les adultes et les jeunes en souffrance psychique',
    },
  },
  general_health: {
    kinds: [
      { nl: 'Wijkgezondheidscentrum', fr: 'Maison médicale' },
      { nl: 'Thuisverpleging', fr: 'Soins infirmiers à domicile' },
      { nl: 'Gezondheidshuis', fr: 'Maison de santé' },
    ],
    services: [
      { nl: 'huisarts', fr: 'médecine générale' },
      { nl: 'verpleging', fr: 'soins infirmiers' },
      { nl: 'kinesitherapie', fr: 'kinésithérapie' },
      { nl: 'gezondheidspromotie', fr: 'promotion de la santé' },
      { nl: 'tandzorg', fr: 'soins dentaires' },
    ],
    forWhom: {
      nl: 'voor alle bewoners van de wijk, ook zonder ziekteverzekering',
      fr: 'pour tous les habitants du quartier, même sans mutuelle',
    },
  },
  housing: {
    kinds: [
      { nl: 'Sociaal Verhuurkantoor', fr: 'Agence immobilière sociale' },
      { nl: 'Woonwinkel', fr: 'Maison du logement' },
      { nl: 'Huurdersbond', fr: 'Union des locataires' },
    ],
    services: [
      { nl: 'betaalbare woningen', fr: 'logements abordables' },
      { nl: 'huurbegeleiding', fr: 'accompagnement des locataires' },
      { nl: 'woonadvies', fr: 'conseil logement' },
      { nl: 'renovatiebegeleiding', fr: 'aide à la rénovation' },
      { nl: 'energieadvies', fr: 'conseil énergie' },
    ],
    forWhom: {
      nl: 'voor huishoudens met een laag inkomen die een woning zoeken',
      fr: 'pour les ménages à revenus modestes qui cherchent un logement',
    },
  },
  employment: {
    kinds: [
      { nl: 'Werkwinkel', fr: "Maison de l'emploi" },
      { nl: 'Trajectbegeleiding', fr: 'Mission locale' },
      { nl: 'Opleidingscentrum', fr: 'Centre de formation' },
    ],
    services: [
      { nl: 'jobcoaching', fr: 'job coaching' },
      { nl: 'sollicitatietraining', fr: "atelier de recherche d'emploi" },
      { nl: 'beroepsopleiding', fr: 'formation professionnelle' },
      { nl: 'taalcursus', fr: 'cours de langue' },
      { nl: 'sociale economie', fr: 'économie sociale' },
    ],
    forWhom: {
      nl: 'voor werkzoekenden en mensen ver van de arbeidsmarkt',
      fr: "pour les demandeurs d'emploi et les personnes éloignées de l'emploi",
    },
  },
  debt: {
    kinds: [
      { nl: 'Dienst Schuldbemiddeling', fr: 'Service de médiation de dettes' },
      { nl: 'Budgetcentrum', fr: "Centre d'appui budgétaire" },
    ],
    services: [
      { nl: 'schuldbemiddeling', fr: 'médiation de dettes' },
      { nl: 'budgetbegeleiding', fr: 'guidance budgétaire' },
      { nl: 'collectieve schuldenregeling', fr: 'règlement collectif de dettes' },
      { nl: 'juridisch advies', fr: 'conseil juridique' },
      { nl: 'energieschulden', fr: "dettes d'énergie" },
    ],
    forWhom: {
      nl: 'voor mensen met schulden of geldzorgen',
      fr: 'pour les personnes surendettées ou en difficulté financière',
    },
  },
  addiction: {
    kinds: [
      { nl: 'Drugpunt', fr: 'Centre d’aide en assuétudes' },
      { nl: 'Ambulante verslavingszorg', fr: 'Service ambulatoire toxicomanies' },
    ],
    services: [
      { nl: 'verslavingszorg', fr: 'assuétudes' },
      { nl: 'substitutiebehandeling', fr: 'traitement de substitution' },
      { nl: 'spuitenruil', fr: 'échange de seringues' },
      { nl: 'ontwenning', fr: 'sevrage' },
      { nl: 'nazorg', fr: 'suivi post-cure' },
    ],
    forWhom: {
      nl: 'voor mensen met een alcohol-, drug- of gokverslaving en hun naasten',
      fr: "pour les personnes dépendantes à l'alcool, aux drogues ou au jeu et leurs proches",
    },
  },
  general_welfare: {
    kinds: [
      { nl: 'Centrum Algemeen Welzijnswerk', fr: "Centre d'action sociale globale" },
      { nl: 'Sociaal Huis', fr: 'Maison sociale' },
      { nl: 'Onthaalpunt', fr: "Point d'accueil" },
    ],
    services: [
      { nl: 'onthaal', fr: 'accueil' },
      { nl: 'sociale dienstverlening', fr: 'service social' },
      { nl: 'administratieve hulp', fr: 'aide administrative' },
      { nl: 'slachtofferhulp', fr: 'aide aux victimes' },
      { nl: 'rechtshulp', fr: 'aide juridique' },
    ],
    forWhom: {
      nl: 'voor iedereen met een vraag over welzijn, rechten of gezin',
      fr: 'pour toute personne avec une question sociale, de droits ou de famille',
    },
  },
  youth: {
    kinds: [
      { nl: 'Jeugdhuis', fr: 'Maison de jeunes' },
      { nl: 'Jongerenwerking', fr: 'Service AMO' },
      { nl: 'Huiswerkklas', fr: 'École de devoirs' },
    ],
    services: [
      { nl: 'huiswerkbegeleiding', fr: 'soutien scolaire' },
      { nl: 'jongerenonthaal', fr: 'accueil des jeunes' },
      { nl: 'jeugdhulp', fr: 'aide à la jeunesse' },
      { nl: 'opvoedingsondersteuning', fr: 'soutien à la parentalité' },
      { nl: 'sportactiviteiten', fr: 'activités sportives' },
    ],
    forWhom: {
      nl: 'voor kinderen, jongeren en hun ouders',
      fr: 'pour les enfants, les jeunes et leurs parents',
    },
  },
  elderly: {
    kinds: [
      { nl: 'Lokaal Dienstencentrum', fr: 'Centre de services pour seniors' },
      { nl: 'Woonzorgcentrum', fr: 'Maison de repos' },
      { nl: 'Dagverzorgingscentrum', fr: 'Centre de soins de jour' },
    ],
    services: [
      { nl: 'thuiszorg', fr: 'aide à domicile' },
      { nl: 'maaltijden aan huis', fr: 'repas à domicile' },
      { nl: 'mantelzorgondersteuning', fr: 'soutien aux aidants proches' },
      { nl: 'seniorenactiviteiten', fr: 'activités pour seniors' },
      { nl: 'dementiezorg', fr: 'accompagnement de la démence' },
    ],
    forWhom: {
      nl: 'voor ouderen en hun mantelzorgers',
      fr: 'pour les personnes âgées et leurs aidants proches',
    },
  },
  leisure: {
    kinds: [
      { nl: 'Buurthuis', fr: 'Maison de quartier' },
      { nl: 'Vrijetijdsvereniging', fr: 'Association de loisirs' },
      { nl: 'Buurtrestaurant', fr: 'Restaurant social' },
    ],
    services: [
      { nl: 'vrijetijdsactiviteiten', fr: 'activités de loisirs' },
      { nl: 'uitstappen', fr: 'excursions' },
      { nl: 'creatieve ateliers', fr: 'ateliers créatifs' },
      { nl: 'sportclub', fr: 'club sportif' },
      { nl: 'buurtmaaltijden', fr: 'repas de quartier' },
    ],
    forWhom: {
      nl: 'voor buurtbewoners die elkaar willen ontmoeten, ook tegen eenzaamheid',
      fr: "pour les habitants du quartier qui veulent se rencontrer et sortir de l'isolement",
    },
  },
};

/** Made-up proper names, in both languages. */
const PROPER_NAMES: Bilingual[] = [
  { nl: 'De Brug', fr: 'Le Pont' },
  { nl: 'De Linden', fr: 'Les Tilleuls' },
  { nl: 'Horizon', fr: 'Horizon' },
  { nl: 'De Zenne', fr: 'La Senne' },
  { nl: 'Iris', fr: 'Iris' },
  { nl: 'De Vlinder', fr: 'Le Papillon' },
  { nl: 'Het Anker', fr: "L'Ancre" },
  { nl: 'De Haven', fr: 'Le Port' },
  { nl: 'Zonnebloem', fr: 'Tournesol' },
  { nl: 'De Sleutel', fr: 'La Clé' },
  { nl: 'Het Kompas', fr: 'La Boussole' },
  { nl: 'De Wilgen', fr: 'Les Saules' },
  { nl: 'Den Eik', fr: 'Le Chêne' },
  { nl: 'De Overkant', fr: "L'Autre Rive" },
  { nl: 'Het Nest', fr: 'Le Nid' },
  { nl: 'Regenboog', fr: 'Arc-en-ciel' },
  { nl: 'De Ster', fr: "L'Étoile" },
  { nl: 'Lichtpunt', fr: 'Point Lumière' },
  { nl: 'Samen', fr: 'Ensemble' },
  { nl: 'De Kade', fr: 'Le Quai' },
  { nl: 'Het Park', fr: 'Le Parc' },
  { nl: 'De Molen', fr: 'Le Moulin' },
  { nl: 'Het Dak', fr: 'Le Toit' },
  { nl: 'De Boog', fr: "L'Arche" },
  { nl: 'Het Plein', fr: 'La Place' },
  { nl: 'De Bron', fr: 'La Source' },
  { nl: 'Nieuwe Wegen', fr: 'Nouveaux Chemins' },
  { nl: 'Open Deur', fr: 'Porte Ouverte' },
  { nl: 'Het Kruispunt', fr: 'Le Carrefour' },
  { nl: 'De Vuurtoren', fr: 'Le Phare' },
  { nl: 'Morgenrood', fr: 'Aurore' },
  { nl: 'De Tuin', fr: 'Le Jardin' },
];

const STREETS: Bilingual[] = [
  { nl: 'Lindenstraat', fr: 'Rue des Tilleuls' },
  { nl: 'Kerkstraat', fr: "Rue de l'Église" },
  { nl: 'Stationsstraat', fr: 'Rue de la Gare' },
  { nl: 'Molenstraat', fr: 'Rue du Moulin' },
  { nl: 'Bloemenlaan', fr: 'Avenue des Fleurs' },
  { nl: 'Scholenstraat', fr: 'Rue des Écoles' },
  { nl: 'Marktplein', fr: 'Place du Marché' },
  { nl: 'Brouwerijstraat', fr: 'Rue de la Brasserie' },
  { nl: 'Parklaan', fr: 'Avenue du Parc' },
  { nl: 'Vredestraat', fr: 'Rue de la Paix' },
  { nl: 'Zennestraat', fr: 'Rue de la Senne' },
  { nl: 'Eikenlaan', fr: 'Avenue des Chênes' },
];

const OPENING_HOURS: Bilingual[] = [
  { nl: 'ma–vr 9:00–17:00', fr: 'lun–ven 9h–17h' },
  { nl: 'ma–vr 8:30–16:30, wo tot 19:00', fr: 'lun–ven 8h30–16h30, mer jusqu’à 19h' },
  { nl: 'di en do 9:00–12:00, op afspraak', fr: 'mar et jeu 9h–12h, sur rendez-vous' },
  { nl: 'dag en nacht bereikbaar', fr: 'joignable jour et nuit' },
  { nl: 'ma–za 10:00–18:00', fr: 'lun–sam 10h–18h' },
];

/** Other languages some organisations also work in (ISO 639 codes). */
const OTHER_LANGUAGES = ['en', 'ar', 'tr', 'es', 'pt', 'pl', 'ro', 'ber'];

/** mulberry32: a small, fast, seeded PRNG; enough for demo data. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function slug(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40) // a DNS label has at most 63 characters
    .replace(/^-|-$/g, '');
}

/** The default size and seed of the demo directory. */
export const DEMO_DIRECTORY = { count: 4000, seed: 20261122 } as const;

/**
 * Generates `count` fictional organisations, the same ones for the same seed: each works in one
 * or two sectors, in Dutch, French or both (sometimes another language too), in one of Brussels'
 * municipalities; names and descriptions exist in each language the organisation works in.
 */
export function generateDemoOrganizations(
  options: { count?: number; seed?: number } = {},
): NewOrganization[] {
  const { count, seed } = { ...DEMO_DIRECTORY, ...options };
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const hex = (length: number) =>
    Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
  const shuffle = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  };
  const usedNames = new Set<string>();
  const rows: NewOrganization[] = [];

  for (let index = 0; index < count; index += 1) {
    const id = `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
    const sector = pick(SECTORS);
    const secondSector = random() < 0.3 ? pick(SECTORS.filter((s) => s !== sector)) : null;
    const vocabulary = SECTOR_VOCABULARY[sector];
    const municipality = pick(BRUSSELS_MUNICIPALITIES);
    const postcode = pick(municipality.postcodes);
    const roll = random();
    const main: 'nl' | 'fr' = roll < 0.3 ? 'nl' : 'fr';
    const bilingual = roll >= 0.3 && roll < 0.65 ? true : roll < 0.3 ? random() < 0.5 : false;
    const languages: string[] = bilingual ? [main, main === 'nl' ? 'fr' : 'nl'] : [main];
    if (random() < 0.25) languages.push(pick(OTHER_LANGUAGES));
    const speaks = (language: 'nl' | 'fr') => languages.includes(language);

    // A kind and a proper name, with the municipality when that pair is taken already.
    const kind = pick(vocabulary.kinds);
    const proper = pick(PROPER_NAMES);
    let nameNl = `${kind.nl} ${proper.nl}`;
    let nameFr = `${kind.fr} ${proper.fr}`;
    if (usedNames.has(nameFr)) {
      nameNl = `${nameNl} ${municipality.nl}`;
      nameFr = `${nameFr} ${municipality.fr}`;
    }
    if (usedNames.has(nameFr)) {
      nameNl = `${nameNl} ${index}`;
      nameFr = `${nameFr} ${index}`;
    }
    usedNames.add(nameFr);

    const offered = shuffle(vocabulary.services).slice(0, 2 + Math.floor(random() * 3));
    if (secondSector) offered.push(pick(SECTOR_VOCABULARY[secondSector].services));
    const services = offered.map((service) =>
      bilingual ? `${service[main]} / ${service[main === 'nl' ? 'fr' : 'nl']}` : service[main],
    );
    const street = pick(STREETS);
    const number = 1 + Math.floor(random() * 250);
    const hours = pick(OPENING_HOURS);
    const name = main === 'nl' ? `${nameNl} vzw` : `${nameFr} asbl`;
    const domain = `${slug(nameFr)}-${index + 1}.example`;

    rows.push({
      id,
      name,
      nameNl: speaks('nl') ? `${nameNl} vzw` : null,
      nameFr: speaks('fr') ? `${nameFr} asbl` : null,
      descriptionNl: speaks('nl')
        ? `${kind.nl} in ${municipality.nl}, ${vocabulary.forWhom.nl}. Wij bieden ${offered
            .map((s) => s.nl)
            .join(', ')}. Wij werken samen met andere diensten in het Brusselse netwerk.`
        : null,
      descriptionFr: speaks('fr')
        ? `${kind.fr} à ${municipality.fr}, ${vocabulary.forWhom.fr}. Nous proposons : ${offered
            .map((s) => s.fr)
            .join(', ')}. Nous travaillons en réseau avec les autres services bruxellois.`
        : null,
      sectors: secondSector ? [sector, secondSector] : [sector],
      languages,
      services,
      street: `${street[main]} ${number}`,
      postcode,
      municipality: municipality[main],
      email: `info@${domain}`,
      phone: `+32 2 ${500 + Math.floor(random() * 100)} ${String(Math.floor(random() * 100)).padStart(2, '0')} ${String(Math.floor(random() * 100)).padStart(2, '0')}`,
      website: `https://${domain}`,
      openingHours: hours[main],
    });
  }
  return rows;
}

/**
 * Loads the demo directory; returns how many organisations were inserted. Idempotent: when its
 * first organisation exists the directory was loaded already and nothing is written.
 */
export async function loadDemoDirectory(
  db: Executor,
  options: { count?: number; seed?: number } = {},
): Promise<number> {
  const rows = generateDemoOrganizations(options);
  if (rows[0] && (await organizationExists(db, rows[0].id))) return 0;
  return insertOrganizations(db, rows);
}
