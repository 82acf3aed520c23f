import { eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client.ts';
import {
  actionEntries,
  actions,
  agreements,
  backgrounds,
  clients,
  closures,
  crisisPlans,
  evaluationGoals,
  evaluations,
  goals,
  grantRevocations,
  grants,
  meetingNotes,
  meetingParticipants,
  meetings,
  members,
  organizations,
  planRequests,
  plans,
  users,
} from '../schema/index.ts';
import { hashPassword } from '../passwords.ts';
import { loadDemoDirectory } from '../directory/demo-organizations.ts';
import type { LifeDomain, Sector } from '../../domain/vocabularies.ts';

/**
 * Demo data: the story of the seeds (000: a young man with an intellectual disability, put out by his
 * family at 25 and supported for over ten years by a supported-living service together with many
 * partners), told in Liaison. All people, organisations, addresses and numbers are fictional; e-mail
 * addresses and websites use the reserved `.example` domain.
 */

/** The password of every demo account. */
export const DEMO_PASSWORD = 'liaison-demo';

/** Fixed ids, so that tests and the documentation can refer to the demo records. */
export const DEMO_IDS = {
  // Organisations
  orgBegeleidWonen: 'de000000-0000-4000-8000-000000000101',
  orgMentalHealth: 'de000000-0000-4000-8000-000000000102',
  orgShelter: 'de000000-0000-4000-8000-000000000103',
  orgWorkshop: 'de000000-0000-4000-8000-000000000104',
  orgRentalAgency: 'de000000-0000-4000-8000-000000000105',
  orgClinic: 'de000000-0000-4000-8000-000000000106',
  orgDayCentre: 'de000000-0000-4000-8000-000000000107',

  // Users
  ada: 'de000000-0000-4000-8000-000000000201',
  lea: 'de000000-0000-4000-8000-000000000202',
  tom: 'de000000-0000-4000-8000-000000000203',
  paul: 'de000000-0000-4000-8000-000000000204',
  nora: 'de000000-0000-4000-8000-000000000205',
  sam: 'de000000-0000-4000-8000-000000000206',
  karimUser: 'de000000-0000-4000-8000-000000000207',
  fatimaUser: 'de000000-0000-4000-8000-000000000208',

  // Clients
  karim: 'de000000-0000-4000-8000-000000000301',
  fatima: 'de000000-0000-4000-8000-000000000302',
  jan: 'de000000-0000-4000-8000-000000000303',
  marie: 'de000000-0000-4000-8000-000000000304',

  // Plans
  karimPlan: 'de000000-0000-4000-8000-000000000401',
  fatimaPlan: 'de000000-0000-4000-8000-000000000402',
  janPlan: 'de000000-0000-4000-8000-000000000403',
  mariePlan: 'de000000-0000-4000-8000-000000000404',

  // Members of Karim's plan
  karimMemberLea: 'de000000-0000-4000-8000-000000000501',
  karimMemberTom: 'de000000-0000-4000-8000-000000000502',
  karimMemberPaul: 'de000000-0000-4000-8000-000000000503',
  karimMemberNora: 'de000000-0000-4000-8000-000000000504',
  karimMemberSam: 'de000000-0000-4000-8000-000000000505',
  karimMemberRentalAgency: 'de000000-0000-4000-8000-000000000506',
  karimMemberClinic: 'de000000-0000-4000-8000-000000000507',
  karimMemberDayCentre: 'de000000-0000-4000-8000-000000000508',
  karimMemberSister: 'de000000-0000-4000-8000-000000000509',
  karimMemberNeighbour: 'de000000-0000-4000-8000-000000000510',
  karimMemberFather: 'de000000-0000-4000-8000-000000000511',
  // Members of the other plans
  fatimaMemberTom: 'de000000-0000-4000-8000-000000000521',
  fatimaMemberNora: 'de000000-0000-4000-8000-000000000522',
  fatimaMemberMother: 'de000000-0000-4000-8000-000000000523',
  janMemberLea: 'de000000-0000-4000-8000-000000000531',
  janMemberSam: 'de000000-0000-4000-8000-000000000532',
  marieMemberLea: 'de000000-0000-4000-8000-000000000541',
  marieMemberPaul: 'de000000-0000-4000-8000-000000000542',
  marieMemberPartner: 'de000000-0000-4000-8000-000000000543',

  // Requests
  karimRequest: 'de000000-0000-4000-8000-000000001201',
  fatimaRequest: 'de000000-0000-4000-8000-000000001202',
  janRequest: 'de000000-0000-4000-8000-000000001203',
  marieRequest: 'de000000-0000-4000-8000-000000001204',

  // Goals
  karimGoalHousing: 'de000000-0000-4000-8000-000000000601',
  karimGoalWork: 'de000000-0000-4000-8000-000000000602',
  karimGoalHealth: 'de000000-0000-4000-8000-000000000603',
  karimGoalRelations: 'de000000-0000-4000-8000-000000000604',
  karimGoalMoney: 'de000000-0000-4000-8000-000000000605',
  fatimaGoalWork: 'de000000-0000-4000-8000-000000000621',
  fatimaGoalMoney: 'de000000-0000-4000-8000-000000000622',
  fatimaGoalDailyLiving: 'de000000-0000-4000-8000-000000000623',
  marieGoalHousing: 'de000000-0000-4000-8000-000000000641',
  marieGoalHealth: 'de000000-0000-4000-8000-000000000642',

  // Actions of Karim's plan
  karimActionRentalFile: 'de000000-0000-4000-8000-000000000701',
  karimActionStudioVisit: 'de000000-0000-4000-8000-000000000702',
  karimActionPsychiatrist: 'de000000-0000-4000-8000-000000000703',
  karimActionWorkSchedule: 'de000000-0000-4000-8000-000000000704',
  karimActionSundayLunch: 'de000000-0000-4000-8000-000000000705',
  karimActionWeeklyBudget: 'de000000-0000-4000-8000-000000000706',
  karimActionSaturdayActivities: 'de000000-0000-4000-8000-000000000707',
  karimActionCrisisPlanReview: 'de000000-0000-4000-8000-000000000708',
  karimActionGroupHome: 'de000000-0000-4000-8000-000000000709',
  marieActionHandover: 'de000000-0000-4000-8000-000000000741',

  // Agreements
  karimAgreementLea: 'de000000-0000-4000-8000-000000000901',
  karimAgreementNight: 'de000000-0000-4000-8000-000000000902',
  karimAgreementPaul: 'de000000-0000-4000-8000-000000000903',
  karimAgreementNora: 'de000000-0000-4000-8000-000000000904',
  karimAgreementSister: 'de000000-0000-4000-8000-000000000905',

  // Crisis plans and backgrounds
  karimCrisisPlan: 'de000000-0000-4000-8000-000000001001',
  karimBackground: 'de000000-0000-4000-8000-000000001101',
  marieBackground: 'de000000-0000-4000-8000-000000001104',

  // Meetings and their notes
  karimMeeting: 'de000000-0000-4000-8000-000000001301',
  marieMeeting: 'de000000-0000-4000-8000-000000001304',
  karimMeetingNotePaul: 'de000000-0000-4000-8000-000000001401',
  karimMeetingNoteLea: 'de000000-0000-4000-8000-000000001402',

  // Evaluations and closures
  karimEvaluation: 'de000000-0000-4000-8000-000000001501',
  marieEvaluation: 'de000000-0000-4000-8000-000000001504',
  marieClosure: 'de000000-0000-4000-8000-000000001604',

  // Grants on Karim's plan
  karimGrantPaulNetwork: 'de000000-0000-4000-8000-000000000801',
  karimGrantPaulGoals: 'de000000-0000-4000-8000-000000000802',
  karimGrantPaulActions: 'de000000-0000-4000-8000-000000000803',
  karimGrantPaulCrisis: 'de000000-0000-4000-8000-000000000804',
  karimGrantPaulBackground: 'de000000-0000-4000-8000-000000000805',
  karimGrantPaulMeetings: 'de000000-0000-4000-8000-000000000806',
  karimGrantNoraGoals: 'de000000-0000-4000-8000-000000000811',
  karimGrantNoraActions: 'de000000-0000-4000-8000-000000000812',
  /** Expired: valid_until in the past. */
  karimGrantNoraCrisisExpired: 'de000000-0000-4000-8000-000000000813',
  /** Revoked by Karim in the app. */
  karimGrantNoraAgreementsRevoked: 'de000000-0000-4000-8000-000000000814',
  karimGrantSamAgreements: 'de000000-0000-4000-8000-000000000821',
  karimGrantSamCrisis: 'de000000-0000-4000-8000-000000000822',
  // Grants on the other plans
  fatimaGrantNoraGoals: 'de000000-0000-4000-8000-000000000831',
  /** Revoked when Marie's plan was closed. */
  marieGrantPaulNetwork: 'de000000-0000-4000-8000-000000000841',
  marieGrantPaulGoals: 'de000000-0000-4000-8000-000000000842',
  marieGrantPaulBackground: 'de000000-0000-4000-8000-000000000843',
  marieGrantPaulMeetings: 'de000000-0000-4000-8000-000000000844',
} as const;

/** The demo accounts, all with {@link DEMO_PASSWORD}. */
export const DEMO_ACCOUNTS = [
  { email: 'ada.admin@demo.example', name: 'Ada Peeters', role: 'admin, Begeleid Wonen Brussel' },
  { email: 'lea.lead@demo.example', name: 'Léa Janssens', role: 'lead (Karim, Jan, Marie), secrecy-bound' },
  { email: 'tom.colead@demo.example', name: 'Tom De Smet', role: 'co-lead (Karim), lead (Fatima)' },
  { email: 'paul.partner@demo.example', name: 'Paul Verhaegen', role: 'psychiatrist, secrecy-bound' },
  { email: 'nora.partner@demo.example', name: 'Nora El Idrissi', role: 'job coach, not secrecy-bound' },
  { email: 'sam.partner@demo.example', name: 'Samuel Lambert', role: 'homeless service, not secrecy-bound' },
  { email: 'karim.client@demo.example', name: 'Karim Benali', role: 'client' },
  { email: 'fatima.client@demo.example', name: 'Fatima Amrani', role: 'client' },
] as const;

const LEAD_EMAIL = 'lea.lead@demo.example';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Loads the demo data in one transaction. Idempotent: when the demo lead already exists, nothing
 * is written and `{ loaded: false }` is returned. Dates are relative to `options.now` (default:
 * now), so that the demo always has a meeting three weeks ago, overdue actions and an expired grant.
 */
export async function loadDemoData(
  db: Database,
  options: { passwordHash?: string; now?: Date } = {},
): Promise<{ loaded: boolean }> {
  // A cheap look before the (slow) password hash; the transaction looks again before writing.
  if (await demoLoaded(db)) return { loaded: false };
  const passwordHash = options.passwordHash ?? (await hashPassword(DEMO_PASSWORD));
  const now = options.now ?? new Date();

  /** A moment `days` from now (negative: in the past), at `hour`:`minute` UTC when given. */
  const at = (days: number, hour?: number, minute = 0): Date => {
    const moment = new Date(now.getTime() + days * DAY_MS);
    if (hour !== undefined) moment.setUTCHours(hour, minute, 0, 0);
    return moment;
  };
  /** A calendar date `days` from now, as PostgreSQL `date` text. */
  const day = (days: number): string => at(days).toISOString().slice(0, 10);
  const domains = (...values: LifeDomain[]): LifeDomain[] => values;
  const sectors = (...values: Sector[]): Sector[] => values;
  const I = DEMO_IDS;
  const marieClosedAt = at(-60, 10);

  return db.transaction(async (tx) => {
    if (await demoLoaded(tx)) return { loaded: false };

    // ---------------------------------------------------------------- organisations
    await tx.insert(organizations).values([
      {
        id: I.orgBegeleidWonen,
        name: 'Begeleid Wonen Brussel vzw',
        nameNl: 'Begeleid Wonen Brussel vzw',
        nameFr: 'Begeleid Wonen Brussel asbl',
        descriptionNl:
          'Begeleiding aan huis voor volwassenen met een verstandelijke beperking die zelfstandig (willen) wonen in Brussel. Wij werken altijd samen met andere diensten: wonen, werk, geestelijke gezondheid, thuislozenzorg.',
        descriptionFr:
          'Accompagnement à domicile pour adultes avec une déficience intellectuelle qui vivent (ou veulent vivre) de manière autonome à Bruxelles. Nous travaillons toujours en réseau : logement, travail, santé mentale, secteur sans-abri.',
        sectors: sectors('disability', 'housing'),
        languages: ['nl', 'fr'],
        services: ['begeleid wonen', 'netwerkbegeleiding', 'budgetbegeleiding'],
        street: 'Ninoofsesteenweg 212',
        postcode: '1070',
        municipality: 'Anderlecht',
        email: 'info@begeleidwonen-brussel.example',
        phone: '+32 2 555 01 10',
        website: 'https://begeleidwonen-brussel.example',
        openingHours: 'ma–vr 9:00–17:00; permanentie op afspraak',
      },
      {
        id: I.orgMentalHealth,
        name: 'CGG Noordwest Brussel vzw',
        nameNl: 'Centrum Geestelijke Gezondheidszorg Noordwest Brussel vzw',
        nameFr: 'Centre de santé mentale Nord-Ouest Bruxelles asbl',
        descriptionNl:
          'Ambulante psychiatrische en psychologische hulp voor volwassenen, ook voor personen met een dubbele diagnose (verstandelijke beperking en psychische problemen).',
        descriptionFr:
          'Aide psychiatrique et psychologique ambulatoire pour adultes, y compris pour les personnes avec un double diagnostic (déficience intellectuelle et troubles psychiques).',
        sectors: sectors('mental_health'),
        languages: ['nl', 'fr'],
        services: ['psychiatrie', 'psychotherapie', 'dubbele diagnose'],
        street: 'Leopold I-straat 310',
        postcode: '1090',
        municipality: 'Jette',
        email: 'secretariaat@cgg-noordwest.example',
        phone: '+32 2 555 02 20',
        website: 'https://cgg-noordwest.example',
        openingHours: 'ma–vr 8:30–18:00, do tot 20:00',
      },
      {
        id: I.orgShelter,
        name: 'Le Relais de la Nuit asbl',
        nameNl: 'Le Relais de la Nuit vzw',
        nameFr: 'Le Relais de la Nuit asbl',
        descriptionNl:
          'Nachtopvang en mobiele begeleiding voor dak- en thuislozen. Permanentie dag en nacht.',
        descriptionFr:
          'Accueil de nuit et accompagnement mobile des personnes sans abri. Permanence 24h/24, orientation vers le logement et les soins.',
        sectors: sectors('homelessness', 'general_welfare'),
        languages: ['fr'],
        services: ['accueil de nuit', 'travail de rue', 'housing first'],
        street: 'Chaussée de Wavre 560',
        postcode: '1040',
        municipality: 'Etterbeek',
        email: 'contact@relaisdelanuit.example',
        phone: '+32 2 555 03 00',
        website: 'https://relaisdelanuit.example',
        openingHours: 'Permanence 24h/24, 7j/7; bureau lun–ven 9h–17h',
      },
      {
        id: I.orgWorkshop,
        name: 'Atelier Horizon',
        nameNl: 'Atelier Horizon',
        nameFr: 'Atelier Horizon',
        descriptionNl:
          'Beschutte werkplaats met een houtatelier, verpakking en groenonderhoud. Jobcoaching voor werknemers met een beperking.',
        descriptionFr:
          "Entreprise de travail adapté : menuiserie, conditionnement et entretien d'espaces verts. Job coaching pour les travailleurs en situation de handicap.",
        sectors: sectors('employment', 'disability'),
        languages: ['fr', 'nl'],
        services: ['travail adapté', 'job coaching', 'stages'],
        street: 'Rue du Tilleul 145',
        postcode: '1140',
        municipality: 'Evere',
        email: 'jobcoach@atelier-horizon.example',
        phone: '+32 2 555 04 40',
        website: 'https://atelier-horizon.example',
        openingHours: 'lun–ven 7h30–16h',
      },
      {
        id: I.orgRentalAgency,
        name: 'AIS Toit Commun asbl',
        nameNl: 'Sociaal Verhuurkantoor Toit Commun',
        nameFr: 'Agence immobilière sociale Toit Commun asbl',
        descriptionNl:
          'Sociaal verhuurkantoor: huurt woningen van private eigenaars en verhuurt ze aan een betaalbare prijs aan huishoudens met een laag inkomen.',
        descriptionFr:
          'Agence immobilière sociale : prend en gestion des logements de propriétaires privés et les loue à loyer modéré à des ménages à revenus modestes.',
        sectors: sectors('housing'),
        languages: ['fr', 'nl'],
        services: ['logement', 'gestion locative', 'accompagnement des locataires'],
        street: 'Rue Léon Autrique 12',
        postcode: '1081',
        municipality: 'Koekelberg',
        email: 'info@ais-toitcommun.example',
        phone: '+32 2 555 05 50',
        website: 'https://ais-toitcommun.example',
        openingHours: 'mar et jeu 9h–12h, sur rendez-vous',
      },
      {
        id: I.orgClinic,
        name: 'Clinique psychiatrique Les Saules',
        nameNl: 'Psychiatrische kliniek De Wilgen',
        nameFr: 'Clinique psychiatrique Les Saules',
        descriptionNl:
          'Psychiatrisch ziekenhuis met een opnameafdeling en een eenheid voor personen met een dubbele diagnose.',
        descriptionFr:
          "Hôpital psychiatrique avec une unité d'admission et une unité pour les personnes avec un double diagnostic.",
        sectors: sectors('mental_health', 'general_health'),
        languages: ['fr', 'nl'],
        services: ['hospitalisation', 'urgences psychiatriques', 'double diagnostic'],
        street: 'Avenue de la Réforme 77',
        postcode: '1083',
        municipality: 'Ganshoren',
        email: 'admissions@clinique-lessaules.example',
        phone: '+32 2 555 06 60',
        website: 'https://clinique-lessaules.example',
        openingHours: 'Urgences 24h/24; admissions lun–ven 8h–18h',
      },
      {
        id: I.orgDayCentre,
        name: "Centre de jour L'Escale asbl",
        nameNl: "Dagcentrum L'Escale vzw",
        nameFr: "Centre de jour L'Escale asbl",
        descriptionNl:
          'Activiteitencentrum voor volwassenen met een verstandelijke beperking: ateliers, sport, uitstappen, ook op zaterdag.',
        descriptionFr:
          'Centre de jour pour adultes avec une déficience intellectuelle : ateliers, sport, sorties, aussi le samedi.',
        sectors: sectors('disability', 'leisure'),
        languages: ['fr'],
        services: ['activités de jour', 'loisirs', 'ateliers créatifs'],
        street: 'Rue Léopold Ier 55',
        postcode: '1090',
        municipality: 'Jette',
        email: 'accueil@lescale-jette.example',
        phone: '+32 2 555 07 70',
        website: 'https://lescale-jette.example',
        openingHours: 'lun–ven 9h–16h, sam 10h–16h',
      },
    ]);
    // The rest of the directory: thousands of generated, fictional organisations.
    await loadDemoDirectory(tx);

    // ---------------------------------------------------------------- users
    await tx.insert(users).values([
      {
        id: I.ada,
        email: 'ada.admin@demo.example',
        name: 'Ada Peeters',
        kind: 'admin',
        organizationId: I.orgBegeleidWonen,
        locale: 'nl',
        secrecyBound: false,
        passwordHash,
      },
      {
        id: I.lea,
        email: LEAD_EMAIL,
        name: 'Léa Janssens',
        kind: 'professional',
        organizationId: I.orgBegeleidWonen,
        locale: 'nl',
        secrecyBound: true,
        passwordHash,
      },
      {
        id: I.tom,
        email: 'tom.colead@demo.example',
        name: 'Tom De Smet',
        kind: 'professional',
        organizationId: I.orgBegeleidWonen,
        locale: 'nl',
        secrecyBound: true,
        passwordHash,
      },
      {
        id: I.paul,
        email: 'paul.partner@demo.example',
        name: 'Paul Verhaegen',
        kind: 'professional',
        organizationId: I.orgMentalHealth,
        locale: 'nl',
        secrecyBound: true,
        passwordHash,
      },
      {
        id: I.nora,
        email: 'nora.partner@demo.example',
        name: 'Nora El Idrissi',
        kind: 'professional',
        organizationId: I.orgWorkshop,
        locale: 'fr',
        secrecyBound: false,
        passwordHash,
      },
      {
        id: I.sam,
        email: 'sam.partner@demo.example',
        name: 'Samuel Lambert',
        kind: 'professional',
        organizationId: I.orgShelter,
        locale: 'fr',
        secrecyBound: false,
        passwordHash,
      },
      {
        id: I.karimUser,
        email: 'karim.client@demo.example',
        name: 'Karim Benali',
        kind: 'client',
        locale: 'fr',
        passwordHash,
      },
      {
        id: I.fatimaUser,
        email: 'fatima.client@demo.example',
        name: 'Fatima Amrani',
        kind: 'client',
        locale: 'nl',
        passwordHash,
      },
    ]);

    // ---------------------------------------------------------------- clients and plans
    await tx.insert(clients).values([
      {
        id: I.karim,
        userId: I.karimUser,
        organizationId: I.orgBegeleidWonen,
        firstName: 'Karim',
        lastName: 'Benali',
        birthDate: '1990-05-03',
        phone: '+32 470 55 01 23',
        email: 'karim.client@demo.example',
        address: 'Rue de la Sympathie 8, bte 3 (logement de transit), 1070 Anderlecht',
        preferredLanguage: 'fr',
      },
      {
        id: I.fatima,
        userId: I.fatimaUser,
        organizationId: I.orgBegeleidWonen,
        firstName: 'Fatima',
        lastName: 'Amrani',
        birthDate: '1998-11-19',
        phone: '+32 470 55 02 34',
        email: 'fatima.client@demo.example',
        address: 'Brogniezstraat 41, 1070 Anderlecht',
        preferredLanguage: 'nl',
      },
      {
        id: I.jan,
        organizationId: I.orgBegeleidWonen,
        firstName: 'Jan',
        lastName: 'Willems',
        birthDate: '1979-02-08',
        phone: null,
        address: 'Geen vast adres; post via Le Relais de la Nuit, Chaussée de Wavre 560, 1040 Etterbeek',
        preferredLanguage: 'nl',
      },
      {
        id: I.marie,
        organizationId: I.orgBegeleidWonen,
        firstName: 'Marie',
        lastName: 'Dubois',
        birthDate: '1991-07-22',
        phone: '+32 470 55 04 56',
        address: 'Rue de Bruxelles 17, 5000 Namur',
        preferredLanguage: 'fr',
      },
    ]);

    await tx.insert(plans).values([
      {
        id: I.karimPlan,
        clientId: I.karim,
        leadUserId: I.lea,
        organizationId: I.orgBegeleidWonen,
        phase: 'active',
        startedOn: '2015-09-14',
        nextEvaluationOn: day(60),
      },
      {
        id: I.fatimaPlan,
        clientId: I.fatima,
        leadUserId: I.tom,
        organizationId: I.orgBegeleidWonen,
        phase: 'goals',
        startedOn: day(-40),
      },
      {
        id: I.janPlan,
        clientId: I.jan,
        leadUserId: I.lea,
        organizationId: I.orgBegeleidWonen,
        phase: 'registration',
        startedOn: day(-6),
      },
      {
        id: I.mariePlan,
        clientId: I.marie,
        leadUserId: I.lea,
        organizationId: I.orgBegeleidWonen,
        phase: 'closed',
        startedOn: day(-3 * 365),
        closedAt: marieClosedAt,
      },
    ]);

    // ---------------------------------------------------------------- network (members)
    await tx.insert(members).values([
      // Karim
      {
        id: I.karimMemberLea,
        planId: I.karimPlan,
        kind: 'professional',
        userId: I.lea,
        organizationId: I.orgBegeleidWonen,
        relation: 'Referentiebegeleider begeleid wonen',
        lifeDomains: domains('housing', 'daily_living', 'money'),
        closeness: 1,
      },
      {
        id: I.karimMemberTom,
        planId: I.karimPlan,
        kind: 'professional',
        userId: I.tom,
        organizationId: I.orgBegeleidWonen,
        relation: 'Co-begeleider (budget, vervanging van Léa)',
        lifeDomains: domains('money', 'daily_living'),
        closeness: 2,
        coLead: true,
      },
      {
        id: I.karimMemberPaul,
        planId: I.karimPlan,
        kind: 'professional',
        userId: I.paul,
        organizationId: I.orgMentalHealth,
        relation: 'Psychiater',
        lifeDomains: domains('health'),
        closeness: 2,
      },
      {
        id: I.karimMemberNora,
        planId: I.karimPlan,
        kind: 'professional',
        userId: I.nora,
        organizationId: I.orgWorkshop,
        relation: "Job coach à l'atelier",
        lifeDomains: domains('work_day_activity'),
        closeness: 2,
      },
      {
        id: I.karimMemberSam,
        planId: I.karimPlan,
        kind: 'professional',
        userId: I.sam,
        organizationId: I.orgShelter,
        relation: 'Travailleur social, accueil de nuit',
        lifeDomains: domains('housing', 'safety_justice'),
        closeness: 3,
      },
      {
        id: I.karimMemberRentalAgency,
        planId: I.karimPlan,
        kind: 'professional',
        organizationId: I.orgRentalAgency,
        name: 'Julie Renard',
        relation: "Gestionnaire locative à l'AIS",
        lifeDomains: domains('housing'),
        closeness: 3,
      },
      {
        id: I.karimMemberClinic,
        planId: I.karimPlan,
        kind: 'professional',
        organizationId: I.orgClinic,
        name: 'Dr Hélène Vandamme',
        relation: "Psychiatre de l'unité d'admission (lors des hospitalisations)",
        lifeDomains: domains('health'),
        closeness: 3,
      },
      {
        id: I.karimMemberDayCentre,
        planId: I.karimPlan,
        kind: 'professional',
        organizationId: I.orgDayCentre,
        name: 'Inès Martin',
        relation: 'Éducatrice au centre de jour (activités du samedi)',
        lifeDomains: domains('leisure', 'relations'),
        closeness: 2,
      },
      {
        id: I.karimMemberSister,
        planId: I.karimPlan,
        kind: 'informal',
        name: 'Yasmina Benali',
        relation: 'Sœur',
        lifeDomains: domains('relations'),
        closeness: 1,
      },
      {
        id: I.karimMemberNeighbour,
        planId: I.karimPlan,
        kind: 'informal',
        name: 'Jacques Lenoir',
        relation: 'Ancien voisin, aide pour le courrier et les courses',
        lifeDomains: domains('daily_living', 'relations'),
        closeness: 2,
      },
      {
        id: I.karimMemberFather,
        planId: I.karimPlan,
        kind: 'informal',
        name: 'Mohamed Benali',
        relation: 'Père',
        lifeDomains: domains('relations'),
        status: 'past',
        hidden: true,
        closeness: 3,
        endedOn: '2015-06-30',
      },
      // Fatima
      {
        id: I.fatimaMemberTom,
        planId: I.fatimaPlan,
        kind: 'professional',
        userId: I.tom,
        organizationId: I.orgBegeleidWonen,
        relation: 'Referentiebegeleider begeleid wonen',
        lifeDomains: domains('work_day_activity', 'money'),
        closeness: 1,
      },
      {
        id: I.fatimaMemberNora,
        planId: I.fatimaPlan,
        kind: 'professional',
        userId: I.nora,
        organizationId: I.orgWorkshop,
        relation: 'Jobcoach, stage in de beschutte werkplaats',
        lifeDomains: domains('work_day_activity'),
        closeness: 2,
      },
      {
        id: I.fatimaMemberMother,
        planId: I.fatimaPlan,
        kind: 'informal',
        name: 'Khadija Amrani',
        relation: 'Moeder',
        lifeDomains: domains('relations', 'daily_living'),
        closeness: 1,
      },
      // Jan
      {
        id: I.janMemberLea,
        planId: I.janPlan,
        kind: 'professional',
        userId: I.lea,
        organizationId: I.orgBegeleidWonen,
        relation: 'Referentiebegeleider begeleid wonen (aanmelding)',
        lifeDomains: domains('housing'),
        closeness: 1,
      },
      {
        id: I.janMemberSam,
        planId: I.janPlan,
        kind: 'professional',
        userId: I.sam,
        organizationId: I.orgShelter,
        relation: 'Service qui a orienté Jan (accueil de nuit)',
        lifeDomains: domains('housing'),
        closeness: 2,
      },
      // Marie
      {
        id: I.marieMemberLea,
        planId: I.mariePlan,
        kind: 'professional',
        userId: I.lea,
        organizationId: I.orgBegeleidWonen,
        relation: 'Referentiebegeleider begeleid wonen',
        lifeDomains: domains('housing', 'daily_living'),
        closeness: 1,
      },
      {
        id: I.marieMemberPaul,
        planId: I.mariePlan,
        kind: 'professional',
        userId: I.paul,
        organizationId: I.orgMentalHealth,
        relation: 'Psychiater',
        lifeDomains: domains('health'),
        closeness: 2,
      },
      {
        id: I.marieMemberPartner,
        planId: I.mariePlan,
        kind: 'informal',
        name: 'Kevin Marchal',
        relation: 'Compagnon',
        lifeDomains: domains('relations', 'housing'),
        closeness: 1,
      },
    ]);

    // ---------------------------------------------------------------- request
    await tx.insert(planRequests).values([
      {
        id: I.karimRequest,
        planId: I.karimPlan,
        clientWords:
          "Je veux un appartement à moi. Pas un foyer. Je veux avoir ma clé, faire mes courses et inviter ma sœur le dimanche. Et je veux garder mon travail à l'atelier.",
        clarifiedQuestion:
          'Karim wil zelfstandig wonen in een eigen studio via het sociaal verhuurkantoor, met begeleiding aan huis, en zijn werk in de beschutte werkplaats behouden. Vraag aan het netwerk: hoe houden we wonen, werk en psychische gezondheid samen stabiel, zodat een nieuwe crisis, opname of nacht op straat vermeden wordt?',
        updatedBy: I.lea,
      },
      {
        id: I.fatimaRequest,
        planId: I.fatimaPlan,
        clientWords: 'Ik wil werken en mijn eigen geld verdienen. Niet meer de hele dag thuis zitten.',
        clarifiedQuestion:
          'Fatima zoekt een zinvolle dagbesteding met perspectief op aangepast werk. Eerste stap: een stage in de beschutte werkplaats, en leren zelf met de bus te gaan.',
        updatedBy: I.tom,
      },
      {
        id: I.janRequest,
        planId: I.janPlan,
        clientWords: 'Ik slaap al drie maanden in de opvang. Ik wil een rustige plek voor mij alleen.',
        clarifiedQuestion: '',
        updatedBy: I.lea,
      },
      {
        id: I.marieRequest,
        planId: I.mariePlan,
        clientWords: 'Je veux vivre avec Kevin et ne plus avoir peur de perdre mon logement.',
        clarifiedQuestion:
          'Marie wil samenwonen met haar partner en haar huurcontract behouden; ondersteuning bij de huur, de administratie en de opvolging van haar behandeling.',
        updatedBy: I.lea,
      },
    ]);

    // ---------------------------------------------------------------- goals
    await tx.insert(goals).values([
      {
        id: I.karimGoalHousing,
        planId: I.karimPlan,
        lifeDomain: 'housing',
        title: 'Een eigen studio huren via het sociaal verhuurkantoor',
        clientWords: 'Un appartement à moi, avec ma clé.',
        status: 'in_progress',
        targetDate: day(120),
        position: 0,
        updatedBy: I.lea,
      },
      {
        id: I.karimGoalWork,
        planId: I.karimPlan,
        lifeDomain: 'work_day_activity',
        title: 'Zijn werk in de beschutte werkplaats behouden (4 dagen per week)',
        clientWords: "Je veux rester à l'atelier. J'aime bien le travail du bois.",
        status: 'in_progress',
        position: 1,
        updatedBy: I.lea,
      },
      {
        id: I.karimGoalHealth,
        planId: I.karimPlan,
        lifeDomain: 'health',
        title: 'Zijn medicatie elke dag nemen en elke maand naar de psychiater gaan',
        clientWords: 'Prendre mes médicaments sans oublier. Aller chez Paul chaque mois.',
        status: 'in_progress',
        position: 2,
        updatedBy: I.lea,
      },
      {
        id: I.karimGoalRelations,
        planId: I.karimPlan,
        lifeDomain: 'relations',
        title: 'Het contact met zijn zus behouden en minder alleen zijn in het weekend',
        clientWords: 'Voir Yasmina le dimanche. Le week-end je suis seul, c’est long.',
        status: 'open',
        targetDate: day(90),
        position: 3,
        updatedBy: I.lea,
      },
      {
        id: I.karimGoalMoney,
        planId: I.karimPlan,
        lifeDomain: 'money',
        title: 'Zelf zijn weekgeld beheren',
        clientWords: 'Savoir combien il me reste pour la semaine.',
        status: 'open',
        position: 4,
        updatedBy: I.lea,
      },
      {
        id: I.fatimaGoalWork,
        planId: I.fatimaPlan,
        lifeDomain: 'work_day_activity',
        title: 'Een stage starten in de beschutte werkplaats',
        clientWords: 'Werken, zoals mijn broer.',
        status: 'open',
        targetDate: day(45),
        position: 0,
        updatedBy: I.tom,
      },
      {
        id: I.fatimaGoalMoney,
        planId: I.fatimaPlan,
        lifeDomain: 'money',
        title: 'Leren omgaan met haar eigen geld',
        clientWords: 'Zelf betalen in de winkel.',
        status: 'open',
        position: 1,
        updatedBy: I.tom,
      },
      {
        id: I.fatimaGoalDailyLiving,
        planId: I.fatimaPlan,
        lifeDomain: 'daily_living',
        title: 'Alleen met de bus naar de werkplaats gaan',
        clientWords: 'Zelf met de bus gaan, zonder mama.',
        status: 'open',
        position: 2,
        updatedBy: I.tom,
      },
      {
        id: I.marieGoalHousing,
        planId: I.mariePlan,
        lifeDomain: 'housing',
        title: 'Haar huurcontract behouden en samenwonen met haar partner',
        clientWords: 'Garder mon appartement et vivre avec Kevin.',
        status: 'achieved',
        position: 0,
        updatedBy: I.lea,
      },
      {
        id: I.marieGoalHealth,
        planId: I.mariePlan,
        lifeDomain: 'health',
        title: 'Haar behandeling regelmatig opvolgen',
        clientWords: 'Aller à mes rendez-vous.',
        status: 'achieved',
        position: 1,
        updatedBy: I.lea,
      },
    ]);

    // ---------------------------------------------------------------- actions (plan of approach)
    // Each action's notes become its thread (action_entries); `notes` here is the entry of its
    // last change, by whoever made it.
    const actionRows: Array<typeof actions.$inferInsert & { id: string; notes?: string }> = [
      {
        id: I.karimActionRentalFile,
        planId: I.karimPlan,
        goalId: I.karimGoalHousing,
        ownerMemberId: I.karimMemberLea,
        title: 'Inschrijving bij het sociaal verhuurkantoor actualiseren',
        description: 'Inkomensbewijzen en attest van de bewindvoerder bezorgen aan Julie Renard (AIS).',
        dueOn: day(-20),
        status: 'done',
        notes: 'Dossier volledig, bevestiging van het AIS ontvangen.',
        updatedBy: I.lea,
      },
      {
        id: I.karimActionStudioVisit,
        planId: I.karimPlan,
        goalId: I.karimGoalHousing,
        ownerMemberId: I.karimMemberLea,
        title: 'Studio in Koekelberg bezoeken samen met Karim',
        description: 'Afspraak maken met het AIS; Karim wil dat Yasmina mee kan komen.',
        dueOn: day(-5),
        status: 'todo',
        updatedBy: I.lea,
      },
      {
        id: I.karimActionPsychiatrist,
        planId: I.karimPlan,
        goalId: I.karimGoalHealth,
        ownerMemberId: I.karimMemberPaul,
        title: 'Maandelijkse consultatie en opvolging van de behandeling',
        description: 'Paul ziet Karim elke maand; Léa herinnert Karim de dag voordien aan de afspraak.',
        dueOn: day(10),
        status: 'doing',
        notes: 'Volgende afspraak vastgelegd. Geen wijziging nodig.',
        updatedBy: I.paul,
      },
      {
        id: I.karimActionWorkSchedule,
        planId: I.karimPlan,
        goalId: I.karimGoalWork,
        ownerMemberId: I.karimMemberNora,
        title: "Faire le point sur l'horaire et le passage à la menuiserie",
        description:
          "Voir avec Karim et le chef d'atelier s'il peut passer à la menuiserie, 4 jours par semaine.",
        dueOn: day(-3),
        status: 'doing',
        notes: "Rencontre avec le chef d'atelier prévue la semaine prochaine.",
        updatedBy: I.nora,
      },
      {
        id: I.karimActionSundayLunch,
        planId: I.karimPlan,
        goalId: I.karimGoalRelations,
        ownerMemberId: I.karimMemberSister,
        title: 'Zondagse lunch bij Yasmina',
        description: 'Elke tweede zondag; Yasmina belt Karim op zaterdag om te bevestigen.',
        status: 'doing',
        updatedBy: I.lea,
      },
      {
        id: I.karimActionWeeklyBudget,
        planId: I.karimPlan,
        goalId: I.karimGoalMoney,
        ownerMemberId: I.karimMemberTom,
        title: 'Weekbudget opmaken met Karim',
        description: 'Samen met Karim een eenvoudig overzicht maken (met prentjes) van zijn weekgeld.',
        dueOn: day(-10),
        status: 'todo',
        updatedBy: I.lea,
      },
      {
        id: I.karimActionSaturdayActivities,
        planId: I.karimPlan,
        goalId: I.karimGoalRelations,
        ownerMemberId: I.karimMemberDayCentre,
        title: 'Inschrijven voor de zaterdagactiviteiten van het dagcentrum',
        description: "Karim wil graag meedoen aan het voetbal en de uitstappen van L'Escale.",
        dueOn: day(21),
        status: 'todo',
        updatedBy: I.lea,
      },
      {
        id: I.karimActionCrisisPlanReview,
        planId: I.karimPlan,
        goalId: I.karimGoalHealth,
        ownerMemberId: I.karimMemberLea,
        title: 'Crisisplan overlopen met Karim en Yasmina',
        dueOn: day(-30),
        status: 'done',
        notes: 'Crisisplan aangepast: nummer van de nachtopvang toegevoegd.',
        updatedBy: I.lea,
      },
      {
        id: I.karimActionGroupHome,
        planId: I.karimPlan,
        goalId: I.karimGoalHousing,
        ownerMemberId: I.karimMemberLea,
        title: 'Aanvraag voor een plaats in een groepswoning',
        dueOn: day(-90),
        status: 'cancelled',
        notes: 'Geannuleerd: Karim wil niet in een groepswoning wonen.',
        updatedBy: I.lea,
      },
      {
        id: I.marieActionHandover,
        planId: I.mariePlan,
        goalId: I.marieGoalHealth,
        ownerMemberId: I.marieMemberLea,
        title: 'Overdracht naar de begeleidingsdienst in Namen voorbereiden',
        dueOn: day(-65),
        status: 'done',
        updatedBy: I.lea,
      },
    ];
    await tx.insert(actions).values(actionRows.map(({ notes: _notes, ...row }) => row));
    await tx.insert(actionEntries).values([
      // Nora's earlier note stays in the thread when she later changes the status (issue 14).
      {
        planId: I.karimPlan,
        actionId: I.karimActionWorkSchedule,
        authorUserId: I.nora,
        note: "Karim demande à passer à la menuiserie ; j'en parle au chef d'atelier.",
        createdAt: at(-20, 15),
      },
      ...actionRows.flatMap((row) =>
        row.notes
          ? [
              {
                planId: row.planId as string,
                actionId: row.id,
                authorUserId: row.updatedBy as string,
                status: row.id === I.karimActionWorkSchedule ? ('doing' as const) : null,
                note: row.notes,
                createdAt: at(-6, 16),
              },
            ]
          : [],
      ),
    ]);

    // ---------------------------------------------------------------- agreements
    await tx.insert(agreements).values([
      {
        id: I.karimAgreementLea,
        planId: I.karimPlan,
        memberId: I.karimMemberLea,
        role: 'Referentiepersoon en coördinatie van het netwerk',
        agreement:
          'Léa is het eerste aanspreekpunt voor Karim en voor alle partners. Zij plant het overleg en houdt het plan bij. Huisbezoek elke dinsdag; Tom vervangt haar bij afwezigheid.',
        referencePerson: 'Léa Janssens, Begeleid Wonen Brussel, +32 2 555 01 12',
        callWhen: 'Bij elke vraag of zorg over Karim, tijdens de kantooruren (ma–vr 9–17 u).',
        updatedBy: I.lea,
      },
      {
        id: I.karimAgreementNight,
        planId: I.karimPlan,
        memberId: I.karimMemberSam,
        role: 'Accueil de nuit et permanence 24h/24',
        agreement:
          "Si Karim ne peut pas rentrer chez lui ou ne se sent pas en sécurité la nuit, le Relais l'accueille et prévient Léa le lendemain matin.",
        referencePerson: 'Samuel Lambert, Le Relais de la Nuit',
        callWhen: 'La nuit (18h–9h) et le week-end : permanence du Relais au +32 2 555 03 00.',
        updatedBy: I.lea,
      },
      {
        id: I.karimAgreementPaul,
        planId: I.karimPlan,
        memberId: I.karimMemberPaul,
        role: 'Psychiater: behandeling en medicatie',
        agreement:
          'Paul ziet Karim elke maand. Bij een opname in de kliniek neemt hij contact op met de opnameafdeling van Les Saules.',
        referencePerson: 'Paul Verhaegen, via het secretariaat van het CGG, +32 2 555 02 20',
        callWhen: 'Bij tekenen van ontregeling uit het crisisplan, binnen de kantooruren.',
        updatedBy: I.lea,
      },
      {
        id: I.karimAgreementNora,
        planId: I.karimPlan,
        memberId: I.karimMemberNora,
        role: "Job coach à l'atelier",
        agreement: "Nora suit Karim au travail et prévient Léa s'il est absent deux jours de suite.",
        referencePerson: 'Nora El Idrissi, Atelier Horizon',
        callWhen: "Absence non prévenue de plus d'un jour.",
        updatedBy: I.lea,
      },
      {
        id: I.karimAgreementSister,
        planId: I.karimPlan,
        memberId: I.karimMemberSister,
        role: 'Zus: familiale steun',
        agreement: 'Karim wil dat Yasmina verwittigd wordt bij een opname of als hij onvindbaar is.',
        referencePerson: 'Yasmina Benali, +32 470 55 09 87',
        callWhen: 'Bij een opname, of als Karim langer dan een dag onvindbaar is.',
        updatedBy: I.lea,
      },
    ]);

    // ---------------------------------------------------------------- crisis plan (plain French, for Karim)
    await tx.insert(crisisPlans).values({
      id: I.karimCrisisPlan,
      planId: I.karimPlan,
      earlySigns:
        "Je dors mal plusieurs nuits de suite. Je ne vais plus à l'atelier. Je ne réponds plus au téléphone. Je dépense tout mon argent en un jour. Je dis que je veux partir.",
      whatHelps:
        "Qu'on me parle calmement. Boire un café avec Léa. Appeler Yasmina. Rester dans un endroit que je connais. Prendre mes médicaments à l'heure.",
      whomToCall:
        'En journée : Léa (Begeleid Wonen Brussel) +32 2 555 01 12. La nuit et le week-end : Le Relais de la Nuit +32 2 555 03 00. En danger : 112. Toujours prévenir ma sœur Yasmina.',
      updatedBy: I.lea,
    });

    // ---------------------------------------------------------------- background (secrecy-bound)
    await tx.insert(backgrounds).values([
      {
        id: I.karimBackground,
        planId: I.karimPlan,
        situation:
          'Karim woont sinds 2015 niet meer thuis: op zijn 25ste werd hij door zijn familie buitengezet omdat het thuis onmogelijk was geworden. Daarna periodes in de nachtopvang en twee mislukte pogingen om alleen te wonen (2016, 2019). Sinds 2023 in een transitwoning in Anderlecht. Als iets mislukt, komt hij altijd terug naar Begeleid Wonen.',
        health:
          'Slaapt slecht bij stress. Rookt. Tandzorg lang uitgesteld, nu in behandeling bij het wijkgezondheidscentrum.',
        diagnoses:
          'Lichte verstandelijke beperking. Psychotische stoornis (dubbele diagnose), stabiel onder medicatie sinds 2022. Drie opnames in Les Saules (2017, 2019, 2022).',
        justice:
          'Eén veroordeling voor winkeldiefstal (2018), afgehandeld. Geen lopende procedures. Bewindvoering over goederen sinds 2016 (vrederecht Anderlecht).',
        finances:
          'Inkomensvervangende en integratietegemoetkoming plus loon van de beschutte werkplaats. Schuld bij de energieleverancier in afbetaling (nog ca. 1.200 €). De bewindvoerder beheert de rekening; Karim krijgt weekgeld.',
        updatedBy: I.lea,
      },
      {
        id: I.marieBackground,
        planId: I.mariePlan,
        situation:
          'Marie woonde alleen in een sociale woning in Anderlecht; dreigende uithuiszetting door huurachterstand in 2023.',
        health: 'Geen bijzonderheden.',
        diagnoses: 'Depressieve episodes; opvolging door de psychiater van het CGG.',
        justice: 'Geen.',
        finances: 'Huurachterstand afbetaald in 2024. Leefloon, daarna werkloosheidsuitkering.',
        updatedBy: I.lea,
      },
    ]);

    // ---------------------------------------------------------------- meetings (secrecy-bound)
    const karimMeetingAt = at(-21, 13, 30);
    await tx.insert(meetings).values([
      {
        id: I.karimMeeting,
        planId: I.karimPlan,
        heldAt: karimMeetingAt,
        title: 'Netwerkoverleg Karim: wonen en werk',
        clientTookPart: true,
        notes:
          'Aanwezig: Léa, Paul, Nora, Samuel. Karim was het eerste halfuur aanwezig en zei zelf dat hij de studio in Koekelberg wil zien.\n' +
          '- AIS (via Léa): de studio is vrij vanaf volgende maand.\n' +
          '- Paul: behandeling stabiel, geen tekenen van ontregeling.\n' +
          '- Nora: Karim komt vier dagen per week en vraagt om naar het houtatelier te gaan.\n' +
          '- Samuel: Karim heeft twee keer ’s nachts aangebeld in de opvang na ruzie in de transitwoning.',
        decisions:
          '1. Léa plant het bezoek aan de studio met Karim (en Yasmina).\n' +
          '2. Nora bekijkt de overstap naar het houtatelier met de chef.\n' +
          '3. Na een nacht in de opvang verwittigt Samuel Léa de volgende ochtend.\n' +
          '4. Volgend overleg over drie maanden, met Karim en Yasmina.',
        updatedBy: I.lea,
      },
      {
        id: I.marieMeeting,
        planId: I.mariePlan,
        heldAt: at(-120, 10),
        title: 'Overleg Marie: verhuis naar Namen',
        notes:
          'Marie gaat samenwonen met Kevin in Namen. Paul zorgt voor een verwijzing naar een psychiater daar.',
        decisions:
          'Afsluiten van de begeleiding na de verhuis; overdracht met schriftelijke toestemming van Marie.',
        updatedBy: I.lea,
      },
    ]);
    await tx.insert(meetingParticipants).values([
      { planId: I.karimPlan, meetingId: I.karimMeeting, memberId: I.karimMemberLea },
      { planId: I.karimPlan, meetingId: I.karimMeeting, memberId: I.karimMemberPaul },
      { planId: I.karimPlan, meetingId: I.karimMeeting, memberId: I.karimMemberNora },
      { planId: I.karimPlan, meetingId: I.karimMeeting, memberId: I.karimMemberSam },
      { planId: I.mariePlan, meetingId: I.marieMeeting, memberId: I.marieMemberLea },
      { planId: I.mariePlan, meetingId: I.marieMeeting, memberId: I.marieMemberPaul },
    ]);
    await tx.insert(meetingNotes).values([
      {
        id: I.karimMeetingNotePaul,
        planId: I.karimPlan,
        meetingId: I.karimMeeting,
        authorUserId: I.paul,
        body: 'Karim na het overleg nog gezien: hij slaapt beter en kijkt uit naar het bezoek aan de studio. Geen wijziging in de behandeling.',
        createdAt: at(-20, 9),
      },
      {
        id: I.karimMeetingNoteLea,
        planId: I.karimPlan,
        meetingId: I.karimMeeting,
        authorUserId: I.lea,
        body: 'Verslag met Karim overlopen in eenvoudige woorden; hij is akkoord met de beslissingen.',
        createdAt: at(-19, 15),
      },
    ]);

    // ---------------------------------------------------------------- evaluations
    await tx.insert(evaluations).values([
      {
        id: I.karimEvaluation,
        planId: I.karimPlan,
        evaluatedOn: day(-60),
        collaborationRating: 4,
        collaborationNotes:
          'Goede afstemming tussen CGG, werkplaats en Begeleid Wonen. De nachtopvang wist niet wie te verwittigen toen Karim ’s nachts aanbelde: afspraak toegevoegd.',
        updatedBy: I.lea,
      },
      {
        id: I.marieEvaluation,
        planId: I.mariePlan,
        evaluatedOn: day(-70),
        collaborationRating: 5,
        collaborationNotes: 'Eindevaluatie: doelen bereikt, Marie wil de begeleiding afsluiten.',
        updatedBy: I.lea,
      },
    ]);
    await tx.insert(evaluationGoals).values([
      {
        planId: I.karimPlan,
        evaluationId: I.karimEvaluation,
        goalId: I.karimGoalHousing,
        rating: 3,
        notes: 'Dossier bij het AIS is in orde; nog geen woning.',
      },
      {
        planId: I.karimPlan,
        evaluationId: I.karimEvaluation,
        goalId: I.karimGoalWork,
        rating: 4,
        notes: 'Komt regelmatig werken; wil naar het houtatelier.',
      },
      {
        planId: I.karimPlan,
        evaluationId: I.karimEvaluation,
        goalId: I.karimGoalHealth,
        rating: 4,
        notes: 'Geen opname sinds 2022.',
      },
      {
        planId: I.karimPlan,
        evaluationId: I.karimEvaluation,
        goalId: I.karimGoalRelations,
        rating: 2,
        notes: 'Weekends blijven eenzaam; zaterdagactiviteiten voorgesteld.',
      },
      {
        planId: I.karimPlan,
        evaluationId: I.karimEvaluation,
        goalId: I.karimGoalMoney,
        rating: 2,
        notes: 'Weekgeld op maandag vaak al op.',
      },
      {
        planId: I.mariePlan,
        evaluationId: I.marieEvaluation,
        goalId: I.marieGoalHousing,
        rating: 5,
      },
      {
        planId: I.mariePlan,
        evaluationId: I.marieEvaluation,
        goalId: I.marieGoalHealth,
        rating: 4,
      },
    ]);

    // ---------------------------------------------------------------- closure
    await tx.insert(closures).values({
      id: I.marieClosure,
      planId: I.mariePlan,
      closedOn: day(-60),
      reason: 'Marie is verhuisd naar Namen en wil de begeleiding afsluiten; haar doelen zijn bereikt.',
      // Her goals were reached too, but the support ends because she moved away: the main reason.
      reasonKind: 'moved',
      handover:
        'Dossier overgedragen aan een dienst begeleid wonen in Namen, met de schriftelijke toestemming van Marie. Paul heeft haar doorverwezen naar een psychiater in Namen.',
      updatedBy: I.lea,
    });

    // ---------------------------------------------------------------- consent: grants and revocations
    const paulFrom = at(-240, 10);
    const noraFrom = at(-150, 11);
    const samFrom = at(-100, 16);
    await tx.insert(grants).values([
      // Paul on Karim's plan: written consent, recorded by Léa.
      ...(
        [
          [I.karimGrantPaulNetwork, 'network', 'read'],
          [I.karimGrantPaulGoals, 'goals', 'read'],
          [I.karimGrantPaulActions, 'actions', 'contribute'],
          [I.karimGrantPaulCrisis, 'crisis', 'read'],
          [I.karimGrantPaulBackground, 'background', 'read'],
          // He takes part in the consultations and adds his notes to them (issue 14).
          [I.karimGrantPaulMeetings, 'meetings', 'contribute'],
        ] as const
      ).map(([id, section, access]) => ({
        id,
        planId: I.karimPlan,
        memberId: I.karimMemberPaul,
        section,
        access,
        validFrom: paulFrom,
        method: 'written' as const,
        note: 'Schriftelijke toestemming, ondertekend door Karim tijdens het huisbezoek.',
        recordedBy: I.lea,
        recordedAt: paulFrom,
      })),
      // Nora on Karim's plan: verbal consent, recorded by Léa. Never a secrecy-bound section.
      {
        id: I.karimGrantNoraGoals,
        planId: I.karimPlan,
        memberId: I.karimMemberNora,
        section: 'goals',
        access: 'read',
        validFrom: noraFrom,
        method: 'verbal',
        note: 'Mondeling akkoord van Karim tijdens het gesprek op het atelier.',
        recordedBy: I.lea,
        recordedAt: noraFrom,
      },
      {
        id: I.karimGrantNoraActions,
        planId: I.karimPlan,
        memberId: I.karimMemberNora,
        section: 'actions',
        access: 'contribute',
        validFrom: noraFrom,
        method: 'verbal',
        note: 'Nora mag de acties die zij opvolgt zelf bijwerken.',
        recordedBy: I.lea,
        recordedAt: noraFrom,
      },
      {
        id: I.karimGrantNoraCrisisExpired,
        planId: I.karimPlan,
        memberId: I.karimMemberNora,
        section: 'crisis',
        access: 'read',
        validFrom: noraFrom,
        validUntil: at(-30, 23, 59),
        method: 'verbal',
        note: 'Tijdelijk, tijdens de drukke periode op het werk.',
        recordedBy: I.lea,
        recordedAt: noraFrom,
      },
      {
        id: I.karimGrantNoraAgreementsRevoked,
        planId: I.karimPlan,
        memberId: I.karimMemberNora,
        section: 'agreements',
        access: 'read',
        validFrom: noraFrom,
        method: 'verbal',
        recordedBy: I.lea,
        recordedAt: noraFrom,
      },
      // Samuel on Karim's plan: given by Karim himself in the app.
      {
        id: I.karimGrantSamAgreements,
        planId: I.karimPlan,
        memberId: I.karimMemberSam,
        section: 'agreements',
        access: 'read',
        validFrom: samFrom,
        method: 'in_app',
        recordedBy: I.karimUser,
        recordedAt: samFrom,
      },
      {
        id: I.karimGrantSamCrisis,
        planId: I.karimPlan,
        memberId: I.karimMemberSam,
        section: 'crisis',
        access: 'read',
        validFrom: samFrom,
        method: 'in_app',
        recordedBy: I.karimUser,
        recordedAt: samFrom,
      },
      // Fatima gives Nora her goals, in the app.
      {
        id: I.fatimaGrantNoraGoals,
        planId: I.fatimaPlan,
        memberId: I.fatimaMemberNora,
        section: 'goals',
        access: 'read',
        validFrom: at(-10, 14),
        method: 'in_app',
        recordedBy: I.fatimaUser,
        recordedAt: at(-10, 14),
      },
      // Paul on Marie's plan: written consent, ended when the plan was closed.
      ...(
        [
          [I.marieGrantPaulNetwork, 'network'],
          [I.marieGrantPaulGoals, 'goals'],
          [I.marieGrantPaulBackground, 'background'],
          [I.marieGrantPaulMeetings, 'meetings'],
        ] as const
      ).map(([id, section]) => ({
        id,
        planId: I.mariePlan,
        memberId: I.marieMemberPaul,
        section,
        access: 'read' as const,
        validFrom: at(-700, 10),
        method: 'written' as const,
        recordedBy: I.lea,
        recordedAt: at(-700, 10),
      })),
    ]);

    await tx.insert(grantRevocations).values([
      {
        grantId: I.karimGrantNoraAgreementsRevoked,
        planId: I.karimPlan,
        revokedAt: at(-14, 19, 5),
        revokedBy: I.karimUser,
        method: 'in_app',
        reason: 'Je ne veux plus que l’atelier voie mon adresse et le numéro de ma sœur.',
      },
      ...[
        I.marieGrantPaulNetwork,
        I.marieGrantPaulGoals,
        I.marieGrantPaulBackground,
        I.marieGrantPaulMeetings,
      ].map((grantId) => ({
        grantId,
        planId: I.mariePlan,
        revokedAt: marieClosedAt,
        revokedBy: I.lea,
        method: null,
        reason: 'Plan afgesloten: alle toestemmingen zijn beëindigd.',
      })),
    ]);

    return { loaded: true };
  });
}

/** Whether the demo lead account exists (the marker that the demo data was loaded). */
async function demoLoaded(db: Executor): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, LEAD_EMAIL))
    .limit(1);
  return row !== undefined;
}
