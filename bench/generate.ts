import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { BRUSSELS_MUNICIPALITIES } from '../domain/municipalities.ts';
import { ACTION_STATUSES, LIFE_DOMAINS } from '../domain/vocabularies.ts';
import { heavyPlanCount, isSizeName, partnerStride, PLAN_SHAPE, SIZES, type DatasetSize } from './sizes.ts';

// The benchmark's data, generated inside PostgreSQL with generate_series (nothing is sent row by
// row). Ids are derived from a row's number (`bench_gen.uuid(tag, n)`: md5 shaped as a version-4
// UUID), so that every table can be filled on its own without looking other rows up.
//
// Child rows are scattered, as in a database that grew over years: a table with k rows per plan
// is filled k-major (row g belongs to plan g % plans), so the rows of one plan sit on k different
// pages, never next to each other. Indexes and constraints are dropped before the load and built
// again after it (a sorted build is much faster than 17 million random index inserts at L); the
// database ends with exactly the schema the migrations made.
//
// What each plan holds (PLAN_SHAPE): members 0 = the lead, 1..9 = partner professionals,
// 10 = an informal supporter; partner k of plan c is professional (c + k * stride) % P, so every
// professional leads 5 plans and is a partner in 45 (about 50 plans at every size). Grants go to
// partners 1..5 (GRANTS below); partners 6..9 are in the network without consent (8 is hidden by
// the client in one plan in 10, 9 is a past member in one plan in 10). Some grants are expired,
// about 3% revoked; one plan in 20 is closed (with its closure). 100 audit events per plan with
// `seq` 1..100 and hashes filled, so the app can append to every chain (the generated history is
// not a valid hash chain: `audit:verify` would report it).

/** The consent grants of every plan: [member slot, section, access]. */
export const GRANTS = [
  [1, 'network', 'read'],
  [1, 'goals', 'read'],
  [1, 'actions', 'contribute'],
  [2, 'network', 'read'],
  [2, 'agreements', 'read'],
  [3, 'background', 'read'],
  [3, 'meetings', 'read'],
  [4, 'actions', 'read'],
  [4, 'evaluations', 'read'],
  [5, 'crisis', 'read'],
] as const;

/** A password hash no password matches: nobody signs in to generated accounts (tokens are signed). */
const UNUSABLE_PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2gtc2FsdA$YmVuY2gtbm90LWEtaGFzaA';

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;
/** A SQL text array literal. */
const arr = (values: readonly string[]) => `array[${values.map(quote).join(', ')}]::text[]`;
/** The element of a text array chosen by an integer expression (cycling). */
const pick = (values: readonly string[], index: string) =>
  `(${arr(values)})[1 + ((${index}) % ${values.length})]`;
/** A deterministic UUID for row `n` of a kind. */
const U = (tag: string, n: string) => `bench_gen.uuid('${tag}', (${n})::bigint)`;

const FIRST_NAMES = [
  'Karim', 'Fatima', 'Jan', 'Marie', 'Ahmed', 'Sofie', 'Youssef', 'Lotte', 'Mohamed', 'Inès',
  'Pieter', 'Amina', 'Lucas', 'Nora', 'Thomas', 'Sara', 'Mehdi', 'Elise', 'Bram', 'Leïla',
]; // prettier-ignore
const LAST_NAMES = [
  'Janssens', 'Peeters', 'Maes', 'Dubois', 'Lambert', 'El Amrani', 'Claes', 'Martin', 'Diallo',
  'Wouters', 'Benali', 'Mertens', 'Lejeune', 'Goossens', 'Haddad', 'Dupont', 'Vermeulen', 'Bakkali',
  'Simon', 'Jacobs', 'Nguyen', 'Kaya',
]; // prettier-ignore

/** The 12 sectors of the directory with a kind of organisation in Dutch and French, and its services. */
const SECTOR_TYPES = [
  ['disability', 'Dienst Begeleid Wonen', "Service d'accompagnement", 'begeleid wonen|accompagnement à domicile|dagbesteding|vrijetijd'],
  ['homelessness', 'Nachtopvang', "Centre d'accueil de nuit", 'daklozenopvang|accueil de nuit|sans-abri|douches'],
  ['mental_health', 'Centrum Geestelijke Gezondheidszorg', 'Service de santé mentale', 'psychiatrie|psychotherapie|santé mentale|mobiel team'],
  ['general_health', 'Wijkgezondheidscentrum', 'Maison médicale', 'huisarts|médecine générale|kinésithérapie|verpleging'],
  ['housing', 'Sociaal Verhuurkantoor', 'Agence immobilière sociale', 'huisvesting|logement social|woonbegeleiding|recherche de logement'],
  ['employment', 'Maatwerkbedrijf', 'Entreprise de travail adapté', 'tewerkstelling|emploi|opleiding|jobcoaching'],
  ['debt', 'Dienst Schuldbemiddeling', 'Service de médiation de dettes', 'schuldbemiddeling|médiation de dettes|budgetbegeleiding|gestion budgétaire'],
  ['addiction', 'Drughulpverlening', "Service d'aide aux toxicomanes", 'verslavingszorg|toxicomanie|substitution|preventie'],
  ['general_welfare', 'Centrum Algemeen Welzijnswerk', "Centre d'action sociale globale", 'onthaal|aide sociale|rechtshulp|permanence sociale'],
  ['youth', 'Jeugdhulp', "Service d'aide à la jeunesse", 'jongeren|jeunesse|gezinsbegeleiding|soutien scolaire'],
  ['elderly', 'Lokaal Dienstencentrum', 'Centre de services pour seniors', 'senioren|personnes âgées|maaltijden|aide familiale'],
  ['leisure', 'Vrijetijdswerking', 'Maison de quartier', 'vrije tijd|loisirs|ontmoeting|activités collectives'],
] as const; // prettier-ignore

const DESCRIPTION_NL = [
  'Wij begeleiden volwassenen met een beperking om zelfstandig te wonen, met aandacht voor hun eigen vragen en netwerk.',
  'Wij bieden een veilige slaapplaats, een douche en een gesprek aan mensen zonder thuis, elke nacht van het jaar.',
  'Ambulante zorg voor volwassenen met psychische problemen: psychiatrische consultatie, therapie en een mobiel team.',
  'Een team van huisartsen, verpleegkundigen en sociaal werkers voor iedereen in de wijk, ook zonder verzekering.',
  'Wij huren woningen van private eigenaars en verhuren ze aan mensen met een laag inkomen, met woonbegeleiding.',
  'Aangepast werk en opleiding voor mensen die moeilijk aan de slag raken op de gewone arbeidsmarkt.',
  'Wij helpen mensen met schulden een overzicht te maken, met schuldeisers te onderhandelen en hun budget te beheren.',
  'Hulp bij verslaving aan alcohol, drugs of gokken: onthaal, begeleiding, substitutie en preventie.',
  'Onthaal en begeleiding bij alle vragen over welzijn, rechten, huisvesting en relaties, zonder afspraak.',
  'Ondersteuning van jongeren en hun gezin bij moeilijkheden thuis, op school of in hun vrije tijd.',
  'Een ontmoetingsplaats voor senioren met maaltijden, activiteiten en hulp om thuis te blijven wonen.',
  'Vrijetijdsactiviteiten en ontmoeting voor buurtbewoners van alle leeftijden, ook voor mensen met een beperking.',
];
const DESCRIPTION_FR = [
  'Nous accompagnons des adultes en situation de handicap pour vivre de manière autonome, avec leur propre réseau.',
  "Un lit, une douche et une écoute pour les personnes sans abri, chaque nuit de l'année.",
  'Soins ambulatoires pour adultes en souffrance psychique : consultations psychiatriques, thérapie et équipe mobile.',
  "Une équipe de médecins généralistes, d'infirmiers et de travailleurs sociaux pour tout le quartier.",
  'Nous louons des logements à des propriétaires privés pour les proposer à des ménages à faibles revenus.',
  "Du travail adapté et des formations pour les personnes éloignées du marché de l'emploi.",
  'Nous aidons les personnes endettées à faire le point, à négocier avec les créanciers et à gérer leur budget.',
  "Aide aux personnes dépendantes à l'alcool, aux drogues ou au jeu : accueil, suivi, substitution et prévention.",
  'Accueil et accompagnement pour toute question sociale : droits, logement, relations, sans rendez-vous.',
  "Soutien aux jeunes et à leur famille en cas de difficultés à la maison, à l'école ou dans leurs loisirs.",
  'Un lieu de rencontre pour les seniors : repas, activités et aide pour continuer à vivre chez soi.',
  'Activités de loisirs et de rencontre pour les habitants du quartier de tous âges.',
];

const RELATIONS = [
  'Referentiebegeleider', 'Psychiater', 'Huisarts', 'Schuldbemiddelaar', 'Woonbegeleider',
  'Assistant social CPAS', 'Jobcoach', 'Infirmier à domicile', 'Psychologue', 'Begeleider dagbesteding',
]; // prettier-ignore
const INFORMAL = ['Zus', 'Buurvrouw', 'Vriend', 'Moeder', 'Frère', 'Voisin', 'Tante', 'Cousine'];
const GOAL_TITLES = [
  'Zelfstandig wonen in een eigen studio', 'Trouver un travail adapté', 'Mijn schulden afbetalen',
  'Prendre soin de ma santé', 'Meer vrienden maken', 'Een dagactiviteit vinden', 'Apprendre le néerlandais',
  'Mijn administratie zelf doen', 'Retrouver le contact avec ma famille',
]; // prettier-ignore
const CLIENT_WORDS = [
  'Ik wil graag alleen wonen, maar niet te ver van mijn zus.',
  'Je voudrais travailler avec mes mains, pas dans un bureau.',
  'Ik wil rust in mijn hoofd en geen brieven meer van de deurwaarder.',
  "J'aimerais comprendre mes médicaments et dormir mieux.",
  'Ik wil iets doen overdag, samen met anderen.',
];
const ACTION_TITLES = [
  'Afspraak maken met het OCMW', 'Accompagner à la visite du logement', 'Budgetplan opstellen',
  'Contacter le médecin traitant', 'Inschrijven bij de dagbesteding', 'Dossier mutuelle compléter',
  'Medicatie overlopen', 'Schuldeisers aanschrijven', 'Formulaire allocations remplir',
  'Kennismaking met de jobcoach', 'Huurcontract nalezen', 'Rendez-vous chez le psychiatre',
]; // prettier-ignore
const LONG_TEXT = [
  'Karim voelt zich rustiger sinds de nieuwe afspraken; we bekijken over twee weken hoe het gaat met slapen en eten.',
  'La situation est stable. Le loyer est payé par domiciliation depuis le mois dernier ; à revoir lors de la prochaine concertation.',
  'Vraag van de cliënt: liever een vaste contactpersoon. Afgesproken dat Léa het eerste aanspreekpunt blijft.',
  'Suivi hebdomadaire au centre de jour ; bonne participation aux ateliers cuisine et jardin, moins aux groupes de parole.',
  'Let op: bij stress trekt hij zich terug en neemt hij de telefoon niet op. Dan eerst zijn zus bellen.',
];
const MEETING_TITLES = ['Netwerkoverleg', 'Concertation de réseau', 'Evaluatieoverleg', 'Crisisoverleg'];
const STREETS = [
  'Rue Haute',
  'Bergensesteenweg',
  'Chaussée de Gand',
  'Rue de la Loi',
  'Vlaamsesteenweg',
  'Avenue Louise',
];

/** One step of the load, run and timed. */
interface Step {
  name: string;
  sql: string;
}

function tableSteps(size: DatasetSize): Step[] {
  const C = size.clients;
  const P = size.professionals;
  const O = size.organizations;
  const S = partnerStride(size);
  const H = heavyPlanCount(size);
  const M = PLAN_SHAPE.members;
  const heavyStep = Math.floor(C / H);
  const closed = (c: string) => `((${c}) % ${PLAN_SHAPE.closedEvery} = ${PLAN_SHAPE.closedEvery - 1})`;
  /** The professional in member slot k (0 = lead) of plan c. */
  const pro = (c: string, k: string) => `((${c}) + (${k}) * ${S}) % ${P}`;
  const lead = (c: string) => `((${c}) % ${P})`;
  const orgOf = (professional: string) => `((${professional}) % ${O})`;
  const mun = BRUSSELS_MUNICIPALITIES;
  const sectorCol = (i: 0 | 1 | 2 | 3): string[] => SECTOR_TYPES.map((t) => t[i]);
  /** `generate_series` over k rows per plan, k-major: (j, c) with j the row within its plan. */
  const perPlan = (k: number) =>
    `generate_series(0, ${k * C - 1}) g cross join lateral (values (g / ${C}, g % ${C})) x(j, c)
     join bench_gen.plan_keys k on k.n = x.c`;

  return [
    {
      name: 'organizations',
      sql: `
        insert into organizations (id, source_id, name, name_nl, name_fr, description_nl, description_fr, sectors,
                                   languages, services, street, postcode, municipality, email, phone, website,
                                   opening_hours)
        select ${U('o', 'o')}, 'bench-' || o,
               case when o % 2 = 0 then tnl || ' ' || mnl else tfr || ' ' || mfr end
                 || case when o >= 228 then ' ' || (o / 228 + 1) else '' end,
               tnl || ' ' || mnl, tfr || ' ' || mfr,
               ${pick(DESCRIPTION_NL, 's')}, ${pick(DESCRIPTION_FR, 's')},
               array[${pick(sectorCol(0), 's')}]
                 || case when o % 5 = 0 then array[${pick(sectorCol(0), 's + 3')}] else '{}'::text[] end,
               (array['{nl,fr}', '{fr}', '{nl}', '{nl,fr,en}'])[1 + o % 4]::text[],
               string_to_array(${pick(sectorCol(3), 's')}, '|'),
               ${pick(STREETS, 'o')} || ' ' || (1 + o % 180),
               ${pick(
                 mun.map((m) => m.postcodes[0]),
                 'mu',
               )},
               case when o % 2 = 0 then mnl else mfr end,
               'info' || o || '@org.bench.test', '+32 2 ' || lpad((o % 1000)::text, 3, '0') || ' 00 00',
               'https://org' || o || '.bench.test', 'ma-vr 9-17 / lu-ve 9h-17h'
          from generate_series(0, ${O - 1}) o
          cross join lateral (values (o % ${SECTOR_TYPES.length}, (o / ${SECTOR_TYPES.length}) % ${mun.length})) v(s, mu)
          cross join lateral (values (${pick(sectorCol(1), 's')}, ${pick(sectorCol(2), 's')},
                                      ${pick(
                                        mun.map((m) => m.nl),
                                        'mu',
                                      )}, ${pick(
                                        mun.map((m) => m.fr),
                                        'mu',
                                      )})) n(tnl, tfr, mnl, mfr)`,
    },
    {
      name: 'users',
      sql: `
        insert into users (id, email, name, kind, organization_id, locale, secrecy_bound, password_hash)
        select ${U('p', 'i')}, 'pro' || i || '@bench.test',
               ${pick(FIRST_NAMES, 'i')} || ' ' || ${pick(LAST_NAMES, `i / ${FIRST_NAMES.length}`)},
               'professional'::user_kind, ${U('o', orgOf('i'))}, (array['nl', 'fr'])[1 + i % 2]::locale, i % 3 <> 2,
               ${quote(UNUSABLE_PASSWORD_HASH)}
          from generate_series(0, ${P}) i -- professional P is the heavy one
        union all
        select ${U('a', 'o')}, 'admin' || o || '@bench.test', 'Admin ' || o, 'admin', ${U('o', 'o')},
               'nl', false, ${quote(UNUSABLE_PASSWORD_HASH)}
          from generate_series(0, ${O - 1}) o
        union all
        select ${U('cu', 'c')}, 'client' || c || '@bench.test',
               ${pick(FIRST_NAMES, 'c + 7')} || ' ' || ${pick(LAST_NAMES, 'c / 3')},
               'client', null, (array['nl', 'fr', 'en'])[1 + c % 3]::locale, false, ${quote(UNUSABLE_PASSWORD_HASH)}
          from generate_series(0, ${C - 1}) c`,
    },
    {
      name: 'clients',
      sql: `
        insert into clients (id, user_id, organization_id, first_name, last_name, birth_date, phone, email, address,
                             preferred_language)
        select ${U('c', 'c')}, ${U('cu', 'c')}, ${U('o', orgOf(lead('c')))},
               ${pick(FIRST_NAMES, 'c + 7')}, ${pick(LAST_NAMES, 'c / 3')},
               date '1960-01-01' + (c * 37) % 15000, '+32 470 ' || lpad((c % 1000000)::text, 6, '0'),
               'client' || c || '@bench.test', ${pick(STREETS, 'c')} || ' ' || (1 + c % 200) || ', Brussel',
               (array['nl', 'fr', 'ar', 'en'])[1 + c % 4]
          from generate_series(0, ${C - 1}) c`,
    },
    {
      name: 'plans',
      sql: `
        insert into plans (id, client_id, lead_user_id, organization_id, phase, started_on, next_evaluation_on,
                           closed_at)
        select ${U('pl', 'c')}, ${U('c', 'c')}, ${U('p', lead('c'))}, ${U('o', orgOf(lead('c')))},
               case when ${closed('c')} then 'closed'
                    else (array['registration', 'request', 'goals', 'approach', 'active', 'active', 'active',
                                'evaluation'])[1 + (c * 7) % 8] end::plan_phase,
               current_date - (30 + c % 700), current_date + (c % 120),
               case when ${closed('c')} then now() - interval '1 day' * (1 + c % 30) end
          from generate_series(0, ${C - 1}) c`,
    },
    {
      name: 'members',
      sql: `
        insert into members (id, plan_id, kind, user_id, organization_id, name, relation, life_domains, status,
                             hidden, closeness, ended_on)
        select ${U('m', `c * ${M} + j`)}, k.plan_id,
               case when j = ${M - 1} then 'informal' else 'professional' end::member_kind,
               case when j < ${M - 1} then ${U('p', pro('c', 'j'))} end,
               case when j < ${M - 1} then ${U('o', orgOf(pro('c', 'j')))} end,
               case when j = ${M - 1} then ${pick(INFORMAL, 'c')} end,
               case when j = 0 then 'Referentiebegeleider' when j = ${M - 1} then 'Familie / buren'
                    else ${pick(RELATIONS, 'c + j')} end,
               array[${pick(LIFE_DOMAINS, 'c + j')}, ${pick(LIFE_DOMAINS, 'c + j + 4')}],
               case when j = 9 and c % 10 = 3 then 'past' else 'current' end::member_status,
               j = 8 and c % 10 = 5,
               case when j = 0 or j = ${M - 1} then 1 else 2 + j % 2 end,
               case when j = 9 and c % 10 = 3 then current_date - c % 90 end
          from ${perPlan(M)}
        union all
        select ${U('mh', 'c')}, ${U('pl', 'c')}, 'professional', ${U('p', String(P))}, ${U('o', orgOf(String(P)))},
               null, 'Psychiater (mobiel team)', array['health'], 'current', false, 2, null
          from generate_series(0, ${H - 1}) h cross join lateral (values (h * ${heavyStep})) x(c)`,
    },
    {
      name: 'grants',
      sql: `
        insert into grants (id, plan_id, member_id, section, access, valid_from, valid_until, method, recorded_by,
                            recorded_at)
        select ${U('g', `c * ${GRANTS.length} + j`)}, k.plan_id, ${U('m', `c * ${M} + slot`)},
               section::section, access::grant_access, valid_from,
               case when (c + j) % 20 = 7 then now() - interval '1 day' * (1 + c % 20)
                    when (c + j) % 4 = 0 then now() + interval '1 day' * (30 + c % 365) end,
               (array['in_app', 'verbal', 'written'])[1 + (c + j) % 3]::consent_method,
               k.lead, valid_from
          from ${perPlan(GRANTS.length)}
          cross join lateral (values (
            (array[${GRANTS.map((g) => g[0]).join(', ')}])[1 + j],
            (${arr(GRANTS.map((g) => g[1]))})[1 + j],
            (${arr(GRANTS.map((g) => g[2]))})[1 + j],
            now() - interval '1 day' * (30 + c % 300))) v(slot, section, access, valid_from)
        union all
        select ${U('gh', `c * 2 + j`)}, ${U('pl', 'c')}, ${U('mh', 'c')},
               (array['network', 'goals'])[1 + j]::section, 'read', now() - interval '10 days', null, 'written',
               ${U('p', lead('c'))}, now() - interval '10 days'
          from generate_series(0, ${2 * H - 1}) g
          cross join lateral (values (g / ${H}, (g % ${H}) * ${heavyStep})) x(j, c)`,
    },
    {
      name: 'grant_revocations',
      sql: `
        insert into grant_revocations (grant_id, plan_id, revoked_at, revoked_by, method, reason)
        select ${U('g', `c * ${GRANTS.length} + j`)}, k.plan_id, now() - interval '1 day' * (1 + c % 25),
               k.lead, 'verbal', 'De cliënt wil dit niet langer delen.'
          from ${perPlan(GRANTS.length)}
         where (c + j) % 33 = 5`,
    },
    {
      name: 'plan_requests',
      sql: `
        insert into plan_requests (id, plan_id, client_words, clarified_question, updated_by)
        select ${U('rq', 'c')}, ${U('pl', 'c')}, ${pick(CLIENT_WORDS, 'c')},
               'Hoe kan ' || ${pick(FIRST_NAMES, 'c + 7')} || ' zelfstandig wonen met de juiste steun?',
               ${U('p', lead('c'))}
          from generate_series(0, ${C - 1}) c`,
    },
    {
      name: 'goals',
      sql: `
        insert into goals (id, plan_id, life_domain, title, client_words, status, target_date, position, updated_by)
        select ${U('go', `c * ${PLAN_SHAPE.goals} + j`)}, k.plan_id, ${pick(LIFE_DOMAINS, 'c + j')}::life_domain,
               ${pick(GOAL_TITLES, 'c + j')}, ${pick(CLIENT_WORDS, 'c + j')},
               (array['open', 'in_progress', 'in_progress', 'achieved', 'dropped'])[1 + (c + j) % 5]::goal_status,
               current_date + 30 * (1 + j), j + 1, k.lead
          from ${perPlan(PLAN_SHAPE.goals)}`,
    },
    {
      name: 'actions',
      sql: `
        insert into actions (id, plan_id, goal_id, owner_member_id, title, description, due_on, status,
                             updated_by)
        select ${U('ac', `c * ${PLAN_SHAPE.actions} + j`)}, k.plan_id,
               ${U('go', `c * ${PLAN_SHAPE.goals} + j % ${PLAN_SHAPE.goals}`)}, ${U('m', `c * ${M} + j % 6`)},
               ${pick(ACTION_TITLES, 'c + j')}, ${pick(LONG_TEXT, 'c + j')},
               current_date + (j * 7 - 30), ${pick(ACTION_STATUSES, 'c + j')}::action_status, k.lead
          from ${perPlan(PLAN_SHAPE.actions)}`,
    },
    {
      // One note per action in its thread, as the one notes field held before the threads.
      name: 'action_entries',
      sql: `
        insert into action_entries (plan_id, action_id, author_user_id, note, created_at)
        select k.plan_id, ${U('ac', `c * ${PLAN_SHAPE.actions} + j`)}, k.lead, ${pick(LONG_TEXT, 'c + j + 2')},
               now() - interval '1 day' * (j + c % 30)
          from ${perPlan(PLAN_SHAPE.actions)}`,
    },
    {
      name: 'agreements',
      sql: `
        insert into agreements (id, plan_id, member_id, role, agreement, reference_person, call_when, updated_by)
        select ${U('ag', `c * ${PLAN_SHAPE.agreements} + j`)}, k.plan_id, ${U('m', `c * ${M} + j`)},
               ${pick(RELATIONS, 'c + j')}, ${pick(LONG_TEXT, 'c + j + 1')}, ${pick(FIRST_NAMES, 'c + j')},
               'Bij crisis of als hij niet komt opdagen / en cas de crise', k.lead
          from ${perPlan(PLAN_SHAPE.agreements)}`,
    },
    {
      name: 'crisis_plans',
      sql: `
        insert into crisis_plans (id, plan_id, early_signs, what_helps, whom_to_call, updated_by)
        select ${U('cr', 'c')}, ${U('pl', 'c')}, 'Slaapt slecht, trekt zich terug, eet niet meer.',
               'Rustig praten, een wandeling, zijn zus bellen.', 'Léa (referentiebegeleider), dan de huisarts.',
               ${U('p', lead('c'))}
          from generate_series(0, ${C - 1}) c`,
    },
    {
      name: 'backgrounds',
      sql: `
        insert into backgrounds (id, plan_id, situation, health, diagnoses, justice, finances, updated_by)
        select ${U('bg', 'c')}, ${U('pl', 'c')}, ${pick(LONG_TEXT, 'c')}, ${pick(LONG_TEXT, 'c + 1')},
               'Lichte verstandelijke beperking; angststoornis.', 'Geen lopende dossiers.',
               'Inkomensvervangende tegemoetkoming; collectieve schuldenregeling.', ${U('p', lead('c'))}
          from generate_series(0, ${C - 1}) c`,
    },
    {
      name: 'meetings',
      sql: `
        insert into meetings (id, plan_id, held_at, title, notes, decisions, updated_by)
        select ${U('me', `c * ${PLAN_SHAPE.meetings} + j`)}, k.plan_id,
               now() - interval '1 day' * (j * 60 + c % 50 + 1), ${pick(MEETING_TITLES, 'c + j')},
               ${pick(LONG_TEXT, 'c + j')}, ${pick(LONG_TEXT, 'c + j + 3')}, k.lead
          from ${perPlan(PLAN_SHAPE.meetings)}`,
    },
    {
      name: 'meeting_participants',
      sql: `
        insert into meeting_participants (plan_id, meeting_id, member_id)
        select k.plan_id, ${U('me', `c * ${PLAN_SHAPE.meetings} + j % ${PLAN_SHAPE.meetings}`)},
               ${U('m', `c * ${M} + (array[0, 1, 3])[1 + j / ${PLAN_SHAPE.meetings}]`)}
          from ${perPlan(PLAN_SHAPE.meetings * PLAN_SHAPE.participantsPerMeeting)}`,
    },
    {
      name: 'meeting_notes',
      sql: `
        insert into meeting_notes (id, plan_id, meeting_id, author_user_id, body, created_at)
        select ${U('mn', `c * ${PLAN_SHAPE.meetings} + j`)}, k.plan_id,
               ${U('me', `c * ${PLAN_SHAPE.meetings} + j`)}, ${U('p', pro('c', '3'))}, ${pick(LONG_TEXT, 'c + j + 4')},
               now() - interval '1 day' * (j * 60 + c % 50)
          from ${perPlan(PLAN_SHAPE.meetings)}`,
    },
    {
      name: 'evaluations',
      sql: `
        insert into evaluations (id, plan_id, evaluated_on, collaboration_rating, collaboration_notes, updated_by)
        select ${U('ev', 'c')}, ${U('pl', 'c')}, current_date - c % 60, 1 + c % 5, ${pick(LONG_TEXT, 'c + 2')},
               ${U('p', lead('c'))}
          from generate_series(0, ${C - 1}) c`,
    },
    {
      name: 'evaluation_goals',
      sql: `
        insert into evaluation_goals (plan_id, evaluation_id, goal_id, rating, notes)
        select k.plan_id, ${U('ev', 'c')}, ${U('go', `c * ${PLAN_SHAPE.goals} + j`)}, 1 + (c + j) % 5,
               'Goed op weg / en bonne voie'
          from ${perPlan(PLAN_SHAPE.goals)}`,
    },
    {
      name: 'closures',
      sql: `
        insert into closures (id, plan_id, closed_on, reason, reason_kind, handover, updated_by)
        select ${U('cl', 'c')}, ${U('pl', 'c')}, current_date - c % 30, 'Doelen bereikt; de cliënt woont zelfstandig.',
               'goals_reached',
               'Overdracht aan het OCMW.', ${U('p', lead('c'))}
          from generate_series(0, ${C - 1}) c
         where ${closed('c')}`,
    },
    {
      name: 'audit_events',
      // Actor: the lead (r = 0) or partner r; what they read is what their grants show.
      sql: `
        insert into audit_events (id, plan_id, seq, at, actor_user_id, action, outcome, sections, subject_type,
                                  subject_id, prev_hash, hash)
        select gen_random_uuid(), k.plan_id, s,
               now() - interval '1 hour' * ((${PLAN_SHAPE.auditEvents + 1} - s) * 20 + c % 13),
               k.actors[1 + r],
               case when r = 0 and s % 10 = 0 then 'update' else 'read' end, 'ok',
               case when r = 0 and s % 10 = 0 then '{actions}'::text[]
                    else (array['{network,request,goals,actions,agreements,crisis,background,meetings,evaluations,closure}',
                                '{network,goals,actions}', '{network,agreements}', '{background,meetings}',
                                '{actions,evaluations}', '{crisis}'])[1 + r]::text[] end,
               case when r = 0 and s % 10 = 0 then 'Action' end,
               case when r = 0 and s % 10 = 0 then ${U('ac', `c * ${PLAN_SHAPE.actions} + s % ${PLAN_SHAPE.actions}`)} end,
               case when s > 1 then sha256(('e' || c || ':' || (s - 1))::bytea) end,
               sha256(('e' || c || ':' || s)::bytea)
          from generate_series(0, ${PLAN_SHAPE.auditEvents * C - 1}) g
          cross join lateral (values (g / ${C} + 1, g % ${C})) x(s, c)
          cross join lateral (values (s % 6)) y(r)
          join bench_gen.plan_keys k on k.n = x.c`,
    },
    {
      name: 'audit_chain_heads',
      // Each plan's chain continues after its last generated event (what the app appends to).
      sql: `
        insert into audit_chain_heads (chain, seq, prev_hash, hash)
        select k.plan_id::text, ${PLAN_SHAPE.auditEvents},
               sha256(('e' || k.n || ':' || ${PLAN_SHAPE.auditEvents - 1})::bytea),
               sha256(('e' || k.n || ':' || ${PLAN_SHAPE.auditEvents})::bytea)
          from bench_gen.plan_keys k`,
    },
  ];
}

/** The plan id, lead and partners 1..5 of plan n, computed once (the big tables join them). */
function planKeysSql(size: DatasetSize): string {
  const C = size.clients;
  const P = size.professionals;
  const S = partnerStride(size);
  const partner = (k: number) => U('p', `(n + ${k * S}) % ${P}`);
  return `
    create unlogged table bench_gen.plan_keys as
    select n, ${U('pl', 'n')} as plan_id, ${U('p', `n % ${P}`)} as lead,
           array[${U('p', `n % ${P}`)}, ${[1, 2, 3, 4, 5].map(partner).join(', ')}] as actors
      from generate_series(0, ${C - 1}) n;
    alter table bench_gen.plan_keys add primary key (n);
    analyze bench_gen.plan_keys;`;
}

interface Definition {
  table: string;
  sql: string;
}

/** Every primary key, unique constraint, foreign key and index of the public schema, to drop and rebuild. */
async function saveDefinitions(sql: postgres.Sql) {
  const constraints = await sql<Array<{ table: string; name: string; type: string; def: string }>>`
    select conrelid::regclass::text as table, conname as name, contype as type, pg_get_constraintdef(oid) as def
      from pg_constraint
     where connamespace = 'public'::regnamespace and contype in ('p', 'u', 'f')
     order by conname`;
  const indexes = await sql<Array<{ table: string; name: string; def: string }>>`
    select tablename as table, indexname as name, indexdef as def from pg_indexes
     where schemaname = 'public'
       and indexname not in (select conname from pg_constraint where connamespace = 'public'::regnamespace)
     order by indexname`;
  const add = (c: (typeof constraints)[number]): Definition => ({
    table: c.table,
    sql: `alter table ${c.table} add constraint ${c.name} ${c.def}`,
  });
  const drop = (c: (typeof constraints)[number]) => `alter table ${c.table} drop constraint ${c.name}`;
  const foreignKeys = constraints.filter((c) => c.type === 'f');
  const keys = constraints.filter((c) => c.type !== 'f');
  return {
    structures: [...keys.map(add), ...indexes.map((i) => ({ table: i.table, sql: i.def }))],
    foreignKeys: foreignKeys.map(add),
    drop: [...foreignKeys.map(drop), ...keys.map(drop), ...indexes.map((i) => `drop index ${i.name}`)],
  };
}

export interface GenerateReport {
  size: DatasetSize;
  seconds: number;
  steps: Array<{ step: string; seconds: number; rows?: number }>;
  rows: Record<string, number>;
}

/** The biggest table, loaded and indexed on a connection of its own while the others fill the rest. */
const BIG_TABLE = 'audit_events';

/**
 * Fills a migrated, empty Liaison database with a dataset of this size. Runs two streams on two
 * connections (this machine has 2 cores): the audit log on one, every other table on the other;
 * foreign keys are added one at a time (each locks the tables it joins).
 */
export async function generateDataset(
  url: string,
  size: DatasetSize,
  options: { log?: (line: string) => void } = {},
): Promise<GenerateReport> {
  const log = options.log ?? (() => {});
  const connect = () =>
    postgres(url, {
      max: 1,
      onnotice: () => {},
      connection: {
        synchronous_commit: 'off',
        maintenance_work_mem: '512MB',
        max_parallel_maintenance_workers: 0,
        work_mem: '128MB',
      },
    });
  const a = connect();
  const b = connect();
  const started = performance.now();
  const steps: GenerateReport['steps'] = [];
  const timed = async <T>(step: string, work: () => Promise<T>, rows?: (result: T) => number) => {
    const t0 = performance.now();
    const result = await work();
    const seconds = (performance.now() - t0) / 1000;
    const count = rows?.(result);
    steps.push({ step, seconds: round(seconds), ...(count === undefined ? {} : { rows: count }) });
    log(
      `  ${step.padEnd(40)} ${seconds.toFixed(1).padStart(6)} s${count === undefined ? '' : `  ${count} rows`}`,
    );
    return result;
  };
  const run = async (sql: postgres.Sql, statements: string[]) => {
    for (const statement of statements) await sql.unsafe(statement);
  };
  try {
    const [{ n }] = (await a`select count(*)::int as n from plans`) as unknown as [{ n: number }];
    if (n > 0) throw new Error('The database already has plans: generate into an empty, migrated database.');
    await a.unsafe(`
      create schema if not exists bench_gen;
      create or replace function bench_gen.uuid(tag text, n bigint) returns uuid
        language sql immutable parallel safe
        -- n::text, not n: a concatenation with bigint is only stable, and would stop the inlining.
        as $$ select overlay(overlay(md5(tag || ':' || n::text) placing '4' from 13) placing '8' from 17)::uuid $$;`);
    await timed('plan keys', () => a.unsafe(planKeysSql(size)));
    const definitions = await saveDefinitions(a);
    await timed('drop keys and indexes', () => run(a, definitions.drop));

    const steps_ = tableSteps(size);
    const insert = (sql: postgres.Sql, names: string[]) => async () => {
      for (const step of steps_.filter((s) => names.includes(s.name)))
        await timed(
          `insert ${step.name}`,
          () => sql.unsafe(step.sql),
          (result) => result.count,
        );
    };
    const others = steps_.map((s) => s.name).filter((name) => name !== BIG_TABLE);
    await timed('insert (two streams)', () => Promise.all([insert(a, [BIG_TABLE])(), insert(b, others)()]));

    const structures = (big: boolean) =>
      definitions.structures.filter((d) => (d.table === BIG_TABLE) === big).map((d) => d.sql);
    await timed('keys and indexes (two streams)', () =>
      Promise.all([run(a, structures(true)), run(b, structures(false))]),
    );
    await timed('foreign keys', () =>
      run(
        a,
        definitions.foreignKeys.map((d) => d.sql),
      ),
    );
    await a.unsafe('drop schema bench_gen cascade');
    const tables = (
      await b<Array<{ table: string }>>`
        select relname as table from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'`
    ).map((t) => t.table);
    await timed('vacuum (freeze, analyze) (two streams)', () =>
      Promise.all([
        run(a, [`vacuum (freeze, analyze) ${BIG_TABLE}`]),
        run(b, [
          `vacuum (freeze, analyze) ${tables.filter((t) => t !== BIG_TABLE).join(', ')}`,
          'vacuum (freeze, analyze) pg_catalog.pg_class, pg_catalog.pg_attribute, pg_catalog.pg_statistic',
        ]),
      ]),
    );
    const counts = await a<Array<{ table: string; rows: number }>>`
      select relname as table, reltuples::float8 as rows from pg_class
       where relnamespace = 'public'::regnamespace and relkind = 'r' order by relname`;
    return {
      size,
      seconds: round((performance.now() - started) / 1000),
      steps,
      rows: Object.fromEntries(counts.map((c) => [c.table, Number(c.rows)])),
    };
  } finally {
    await Promise.all([a.end({ timeout: 5 }), b.end({ timeout: 5 })]);
  }
}

const round = (value: number) => Math.round(value * 100) / 100;

// ------------------------------------------------------------------ command line

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { size: { type: 'string', default: 'XS' }, url: { type: 'string' } },
  });
  const sizeName = values.size ?? 'XS';
  if (!isSizeName(sizeName)) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
  if (!values.url) throw new Error('--url postgres://… of a migrated, empty database is required');
  const report = await generateDataset(values.url, SIZES[sizeName], { log: console.log });
  console.log(`Generated ${sizeName} in ${report.seconds} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
