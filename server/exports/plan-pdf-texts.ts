// The words of the exported plan and of the printed plan, in easy-to-read language (Dutch "Klare
// taal", French FALC, plain English): short sentences, the reader addressed directly. The labels of
// phases, sections, life domains and statuses are those of the web app (web/src/lib/i18n/*/common.json).

import { elideFrench } from '../../domain/french.ts';
import type { Section } from '../../domain/sections.ts';
import type {
  ActionStatus,
  ClosureReason,
  ConsentMethod,
  GoalStatus,
  LifeDomain,
  Locale,
  Phase,
} from '../../domain/vocabularies.ts';

/** The labels of the fields the documents print. */
export type FieldLabel =
  | 'clientWords'
  | 'clarifiedQuestion'
  | 'lifeDomain'
  | 'status'
  | 'targetDate'
  | 'description'
  | 'owner'
  | 'dueOn'
  | 'notes'
  | 'role'
  | 'agreement'
  | 'referencePerson'
  | 'callWhen'
  | 'earlySigns'
  | 'whatHelps'
  | 'whomToCall'
  | 'situation'
  | 'health'
  | 'diagnoses'
  | 'justice'
  | 'finances'
  | 'heldAt'
  | 'participants'
  | 'decisions'
  | 'addedNotes'
  | 'contributions'
  | 'rating'
  | 'collaboration'
  | 'closedOn'
  | 'reason'
  | 'reasonKind'
  | 'handover';

/** Every text of one language. */
export interface PlanPdfTexts {
  dateLocale: string;
  exportTitle: (client: string) => string;
  exportIntro: string;
  printTitle: (member: string) => string;
  printIntro: (client: string, member: string) => string;
  aboutPlan: string;
  phaseLine: (phase: string) => string;
  leadLine: (lead: string, organization: string) => string;
  startedLine: (date: string) => string;
  partPlan: string;
  partNetwork: string;
  partShares: string;
  partLooks: string;
  empty: string;
  networkIntro: string;
  memberLine: (name: string, relation: string) => string;
  pastMember: string;
  hiddenMember: string;
  sharesIntro: string;
  sharesNone: string;
  sharesWith: (name: string, sections: string) => string;
  sharesUntil: (date: string) => string;
  sharesNoEnd: string;
  leadsSeeAll: (lead: string) => string;
  looksIntro: string;
  looksNone: string;
  looksLine: (who: string, count: number, date: string) => string;
  someone: string;
  outsider: (organization: string | null) => string;
  personFrom: (name: string, organization: string) => string;
  exportFooter: (date: string, who: string) => string;
  printFooterConsent: (client: string, member: string, sections: string) => string;
  printFooterSince: (date: string, method: string) => string;
  printFooterUntil: (date: string) => string;
  printFooterNoEnd: string;
  printFooterPrinted: (date: string, who: string) => string;
  page: (page: number, count: number) => string;
  method: Record<ConsentMethod, string>;
  fields: Record<FieldLabel, string>;
  phase: Record<Phase, string>;
  section: Record<Section, string>;
  domain: Record<LifeDomain, string>;
  goalStatus: Record<GoalStatus, string>;
  actionStatus: Record<ActionStatus, string>;
  closureReason: Record<ClosureReason, string>;
}

/** The documents' texts in each language. */
export const PLAN_PDF_TEXTS: Record<Locale, PlanPdfTexts> = {
  nl: {
    dateLocale: 'nl-BE',
    exportTitle: (client) => `Het plan van ${client}`,
    exportIntro:
      'Dit is jouw plan in Liaison. Je leest wat erin staat. Je ziet wie jou helpt. Je ziet wie wat mag lezen. En je ziet wie naar je plan keek.',
    printTitle: (member) => `Wat ${member} mag lezen`,
    printIntro: (client, member) =>
      `${client} deelt deze delen van het plan met ${member}. Andere delen staan niet op dit papier.`,
    aboutPlan: 'Over het plan',
    phaseLine: (phase) => `Het plan is nu in deze stap: ${phase}.`,
    leadLine: (lead, organization) => `${lead} van ${organization} begeleidt het plan.`,
    startedLine: (date) => `Het plan begon op ${date}.`,
    partPlan: '1. Het plan',
    partNetwork: '2. Wie jou helpt',
    partShares: '3. Wie wat mag lezen',
    partLooks: '4. Wie naar je plan keek',
    empty: 'Hier staat nog niets.',
    networkIntro: 'Deze mensen helpen jou, of hielpen jou vroeger.',
    memberLine: (name, relation) => `${name}: ${relation}.`,
    pastMember: 'Helpt jou niet meer.',
    hiddenMember: 'Andere partners zien deze persoon niet.',
    sharesIntro: 'Jij kiest wie welke delen van je plan mag lezen. Dit mag iedereen nu lezen.',
    sharesNone: 'Je deelt nu niets met andere mensen.',
    sharesWith: (name, sections) => `${name} mag lezen: ${sections}.`,
    sharesUntil: (date) => `Tot ${date}.`,
    sharesNoEnd: 'Zonder einddatum.',
    leadsSeeAll: (lead) => `${lead} en de begeleiders van het plan lezen alles.`,
    looksIntro: 'Wie naar je plan keek, en hoe vaak.',
    looksNone: 'Nog niemand keek naar je plan.',
    looksLine: (who, count, date) => `${who}: ${count} keer. De laatste keer op ${date}.`,
    someone: 'Iemand',
    outsider: (organization) =>
      organization ? `Iemand zonder toegang (${organization})` : 'Iemand zonder toegang',
    personFrom: (name, organization) => `${name} (${organization})`,
    exportFooter: (date, who) => `Gemaakt op ${date} door ${who}.`,
    printFooterConsent: (client, member, sections) =>
      `${client} gaf toestemming om te delen met ${member}: ${sections}.`,
    printFooterSince: (date, method) => `Toestemming sinds ${date}, ${method}.`,
    printFooterUntil: (date) => `Geldig tot ${date}.`,
    printFooterNoEnd: 'Geldig zonder einddatum.',
    printFooterPrinted: (date, who) => `Afgedrukt op ${date} door ${who}.`,
    page: (page, count) => `Blad ${page} van ${count}`,
    method: { in_app: 'gegeven in Liaison', verbal: 'mondeling gegeven', written: 'schriftelijk gegeven' },
    fields: {
      clientWords: 'In jouw woorden',
      clarifiedQuestion: 'De vraag',
      lifeDomain: 'Levensdomein',
      status: 'Hoe ver',
      targetDate: 'Klaar tegen',
      description: 'Wat',
      owner: 'Wie',
      dueOn: 'Tegen',
      notes: 'Notities',
      role: 'Rol',
      agreement: 'Afspraak',
      referencePerson: 'Aanspreekpunt',
      callWhen: 'Bel wanneer',
      earlySigns: 'Eerste signalen',
      whatHelps: 'Wat helpt',
      whomToCall: 'Wie bellen',
      situation: 'Situatie',
      health: 'Gezondheid',
      diagnoses: 'Diagnoses',
      justice: 'Justitie',
      finances: 'Financiën',
      heldAt: 'Datum',
      participants: 'Aanwezig',
      decisions: 'Beslissingen',
      addedNotes: 'Notities van partners',
      contributions: 'Wat partners en de cliënt zeggen',
      rating: 'Score (1 tot 5)',
      collaboration: 'Samenwerking',
      closedOn: 'Einddatum',
      reason: 'Uitleg',
      reasonKind: 'Reden',
      handover: 'Overdracht',
    },
    phase: {
      registration: 'Inschrijving',
      request: 'Vraagverduidelijking',
      goals: 'Doelen',
      approach: 'Plan van aanpak',
      active: 'Partners en overleg',
      evaluation: 'Evaluatie',
      closed: 'Einde van de samenwerking',
    },
    section: {
      network: 'Netwerk',
      request: 'Hulpvraag',
      goals: 'Doelen',
      actions: 'Plan van aanpak',
      agreements: 'Partners en afspraken',
      crisis: 'Crisisplan',
      background: 'Situatie en voorgeschiedenis',
      meetings: 'Overleg',
      evaluations: 'Evaluaties',
      closure: 'Einde van de samenwerking',
    },
    domain: {
      housing: 'Wonen',
      work_day_activity: 'Werk en dagbesteding',
      health: 'Gezondheid',
      relations: 'Relaties en eenzaamheid',
      money: 'Geld',
      leisure: 'Vrije tijd',
      learning: 'Leren',
      daily_living: 'Dagelijks leven',
      safety_justice: 'Veiligheid en justitie',
    },
    goalStatus: {
      open: 'Nog niet begonnen',
      in_progress: 'Bezig',
      achieved: 'Bereikt',
      dropped: 'Gestopt',
    },
    actionStatus: {
      todo: 'Te doen',
      doing: 'Bezig',
      done: 'Klaar',
      cancelled: 'Geannuleerd',
    },
    closureReason: {
      goals_reached: 'Doelen bereikt',
      client_choice: 'Keuze van de cliënt',
      referred: 'Doorverwezen naar een andere dienst',
      moved: 'Verhuisd',
      no_contact: 'Geen contact meer',
      deceased: 'Overleden',
      other: 'Andere reden',
    },
  },
  fr: {
    dateLocale: 'fr-BE',
    exportTitle: (client) => elideFrench(`Le plan de ${client}`),
    exportIntro:
      'Voici votre plan dans Liaison. Vous lisez ce qu’il contient. Vous voyez qui vous aide. Vous voyez qui peut lire quoi. Et vous voyez qui a regardé votre plan.',
    printTitle: (member) => elideFrench(`Ce que ${member} peut lire`),
    printIntro: (client, member) =>
      `${client} partage ces parties du plan avec ${member}. Les autres parties ne sont pas sur ce papier.`,
    aboutPlan: 'À propos du plan',
    phaseLine: (phase) => `Le plan est maintenant à cette étape\u00a0: ${phase}.`,
    leadLine: (lead, organization) => elideFrench(`${lead} de ${organization} accompagne le plan.`),
    startedLine: (date) => `Le plan a commencé le ${date}.`,
    partPlan: '1. Le plan',
    partNetwork: '2. Qui vous aide',
    partShares: '3. Qui peut lire quoi',
    partLooks: '4. Qui a regardé votre plan',
    empty: 'Il n’y a encore rien ici.',
    networkIntro: 'Ces personnes vous aident, ou vous ont aidé avant.',
    memberLine: (name, relation) => `${name}\u00a0: ${relation}.`,
    pastMember: 'Ne vous aide plus.',
    hiddenMember: 'Les autres partenaires ne voient pas cette personne.',
    sharesIntro:
      'Vous choisissez qui peut lire quelles parties de votre plan. Voici ce que chacun peut lire maintenant.',
    sharesNone: 'Vous ne partagez rien maintenant avec d’autres personnes.',
    sharesWith: (name, sections) => `${name} peut lire\u00a0: ${sections}.`,
    sharesUntil: (date) => `Jusqu’au ${date}.`,
    sharesNoEnd: 'Sans date de fin.',
    leadsSeeAll: (lead) => `${lead} et les accompagnateurs du plan lisent tout.`,
    looksIntro: 'Qui a regardé votre plan, et combien de fois.',
    looksNone: 'Personne n’a encore regardé votre plan.',
    looksLine: (who, count, date) => `${who}\u00a0: ${count} fois. La dernière fois le ${date}.`,
    someone: 'Quelqu’un',
    outsider: (organization) =>
      organization ? `Quelqu’un sans accès (${organization})` : 'Quelqu’un sans accès',
    personFrom: (name, organization) => `${name} (${organization})`,
    exportFooter: (date, who) => `Fait le ${date} par ${who}.`,
    printFooterConsent: (client, member, sections) =>
      `${client} a donné son accord pour partager avec ${member}\u00a0: ${sections}.`,
    printFooterSince: (date, method) => `Accord depuis le ${date}, ${method}.`,
    printFooterUntil: (date) => `Valable jusqu’au ${date}.`,
    printFooterNoEnd: 'Valable sans date de fin.',
    printFooterPrinted: (date, who) => `Imprimé le ${date} par ${who}.`,
    page: (page, count) => `Page ${page} sur ${count}`,
    method: { in_app: 'donné dans Liaison', verbal: 'donné oralement', written: 'donné par écrit' },
    fields: {
      clientWords: 'Avec vos mots',
      clarifiedQuestion: 'La demande',
      lifeDomain: 'Domaine de vie',
      status: 'Où on en est',
      targetDate: 'Pour le',
      description: 'Quoi',
      owner: 'Qui',
      dueOn: 'Pour le',
      notes: 'Notes',
      role: 'Rôle',
      agreement: 'Accord',
      referencePerson: 'Personne de contact',
      callWhen: 'Appeler quand',
      earlySigns: 'Premiers signes',
      whatHelps: 'Ce qui aide',
      whomToCall: 'Qui appeler',
      situation: 'Situation',
      health: 'Santé',
      diagnoses: 'Diagnostics',
      justice: 'Justice',
      finances: 'Finances',
      heldAt: 'Date',
      participants: 'Présents',
      decisions: 'Décisions',
      addedNotes: 'Notes des partenaires',
      contributions: 'Ce que disent les partenaires et la personne',
      rating: 'Note (1 à 5)',
      collaboration: 'Collaboration',
      closedOn: 'Date de fin',
      reason: 'Explication',
      reasonKind: 'Raison',
      handover: 'Passage de relais',
    },
    phase: {
      registration: 'Inscription',
      request: 'Clarification de la demande',
      goals: 'Objectifs',
      approach: 'Plan d’action',
      active: 'Partenaires et concertations',
      evaluation: 'Évaluation',
      closed: 'Fin de la collaboration',
    },
    section: {
      network: 'Réseau',
      request: 'Demande',
      goals: 'Objectifs',
      actions: 'Plan d’action',
      agreements: 'Partenaires et accords',
      crisis: 'Plan de crise',
      background: 'Situation et parcours',
      meetings: 'Concertations',
      evaluations: 'Évaluations',
      closure: 'Fin de la collaboration',
    },
    domain: {
      housing: 'Logement',
      work_day_activity: 'Travail et activités de jour',
      health: 'Santé',
      relations: 'Relations et solitude',
      money: 'Argent',
      leisure: 'Loisirs',
      learning: 'Apprendre',
      daily_living: 'Vie quotidienne',
      safety_justice: 'Sécurité et justice',
    },
    goalStatus: {
      open: 'Pas encore commencé',
      in_progress: 'En cours',
      achieved: 'Atteint',
      dropped: 'Arrêté',
    },
    actionStatus: {
      todo: 'À faire',
      doing: 'En cours',
      done: 'Fait',
      cancelled: 'Annulé',
    },
    closureReason: {
      goals_reached: 'Objectifs atteints',
      client_choice: 'Choix du client',
      referred: 'Orienté vers un autre service',
      moved: 'Déménagement',
      no_contact: 'Plus de contact',
      deceased: 'Décès',
      other: 'Autre raison',
    },
  },
  en: {
    dateLocale: 'en-GB',
    exportTitle: (client) => `The plan of ${client}`,
    exportIntro:
      'This is your plan in Liaison. You read what is in it. You see who helps you. You see who may read what. And you see who looked at your plan.',
    printTitle: (member) => `What ${member} may read`,
    printIntro: (client, member) =>
      `${client} shares these parts of the plan with ${member}. Other parts are not on this paper.`,
    aboutPlan: 'About the plan',
    phaseLine: (phase) => `The plan is now at this step: ${phase}.`,
    leadLine: (lead, organization) => `${lead} of ${organization} leads the plan.`,
    startedLine: (date) => `The plan started on ${date}.`,
    partPlan: '1. The plan',
    partNetwork: '2. Who helps you',
    partShares: '3. Who may read what',
    partLooks: '4. Who looked at your plan',
    empty: 'There is nothing here yet.',
    networkIntro: 'These people help you, or helped you before.',
    memberLine: (name, relation) => `${name}: ${relation}.`,
    pastMember: 'No longer helps you.',
    hiddenMember: 'Other partners do not see this person.',
    sharesIntro: 'You choose who may read which parts of your plan. This is what each person may read now.',
    sharesNone: 'You share nothing with other people now.',
    sharesWith: (name, sections) => `${name} may read: ${sections}.`,
    sharesUntil: (date) => `Until ${date}.`,
    sharesNoEnd: 'No end date.',
    leadsSeeAll: (lead) => `${lead} and the leads of the plan read everything.`,
    looksIntro: 'Who looked at your plan, and how often.',
    looksNone: 'Nobody looked at your plan yet.',
    looksLine: (who, count, date) => `${who}: ${count} times. The last time on ${date}.`,
    someone: 'Someone',
    outsider: (organization) =>
      organization ? `Someone without access (${organization})` : 'Someone without access',
    personFrom: (name, organization) => `${name} (${organization})`,
    exportFooter: (date, who) => `Made on ${date} by ${who}.`,
    printFooterConsent: (client, member, sections) =>
      `${client} agreed to share with ${member}: ${sections}.`,
    printFooterSince: (date, method) => `Consent since ${date}, ${method}.`,
    printFooterUntil: (date) => `Valid until ${date}.`,
    printFooterNoEnd: 'Valid with no end date.',
    printFooterPrinted: (date, who) => `Printed on ${date} by ${who}.`,
    page: (page, count) => `Page ${page} of ${count}`,
    method: { in_app: 'given in Liaison', verbal: 'given by word of mouth', written: 'given in writing' },
    fields: {
      clientWords: 'In your words',
      clarifiedQuestion: 'The question',
      lifeDomain: 'Life domain',
      status: 'How far',
      targetDate: 'Done by',
      description: 'What',
      owner: 'Who',
      dueOn: 'By',
      notes: 'Notes',
      role: 'Role',
      agreement: 'Agreement',
      referencePerson: 'Contact person',
      callWhen: 'Call when',
      earlySigns: 'Early signs',
      whatHelps: 'What helps',
      whomToCall: 'Whom to call',
      situation: 'Situation',
      health: 'Health',
      diagnoses: 'Diagnoses',
      justice: 'Justice',
      finances: 'Finances',
      heldAt: 'Date',
      participants: 'Present',
      decisions: 'Decisions',
      addedNotes: 'Notes of partners',
      contributions: 'What partners and the client say',
      rating: 'Score (1 to 5)',
      collaboration: 'Working together',
      closedOn: 'End date',
      reason: 'In words',
      reasonKind: 'Reason',
      handover: 'Handover',
    },
    phase: {
      registration: 'Registration',
      request: 'Clarifying the request',
      goals: 'Goals',
      approach: 'Plan of approach',
      active: 'Partners and consultations',
      evaluation: 'Evaluation',
      closed: 'End of the collaboration',
    },
    section: {
      network: 'Network',
      request: 'Request',
      goals: 'Goals',
      actions: 'Plan of approach',
      agreements: 'Partners and agreements',
      crisis: 'Crisis plan',
      background: 'Situation and history',
      meetings: 'Consultations',
      evaluations: 'Evaluations',
      closure: 'End of collaboration',
    },
    domain: {
      housing: 'Housing',
      work_day_activity: 'Work and day activity',
      health: 'Health',
      relations: 'Relations and loneliness',
      money: 'Money',
      leisure: 'Leisure',
      learning: 'Learning',
      daily_living: 'Daily living',
      safety_justice: 'Safety and justice',
    },
    goalStatus: {
      open: 'Open',
      in_progress: 'In progress',
      achieved: 'Achieved',
      dropped: 'Dropped',
    },
    actionStatus: {
      todo: 'To do',
      doing: 'In progress',
      done: 'Done',
      cancelled: 'Cancelled',
    },
    closureReason: {
      goals_reached: 'Goals reached',
      client_choice: "The client's choice",
      referred: 'Referred to another service',
      moved: 'Moved away',
      no_contact: 'No more contact',
      deceased: 'Deceased',
      other: 'Another reason',
    },
  },
};
