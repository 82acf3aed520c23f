import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { z } from 'zod';
import type { PlanOverviewSchema } from '../../domain/schemas/plans.ts';
import { frenchFirstOfMonth } from '../../domain/french.ts';
import { actionOwnerLabel, type SectionContent } from '../../domain/schemas/sections.ts';
import { SECTIONS, type Section } from '../../domain/sections.ts';
import type { ConsentMethod, Locale } from '../../domain/vocabularies.ts';
import { printable, renderPdf } from '../pdf/printer.ts';
import { PLAN_PDF_TEXTS, type FieldLabel, type PlanPdfTexts } from './plan-pdf-texts.ts';

// The plan on paper (issue 17): the client's own copy of their whole plan, and the plan printed for
// a member without an account. Easy to read: big headings, body 13 pt, one idea per line, dates in
// words. Only what the overview holds is printed: the overview is read through the reader's ability
// (the client's or lead's own, or the member's), so a withheld section is never in it.

type PlanOverview = z.infer<typeof PlanOverviewSchema>;

const TIME_ZONE = 'Europe/Brussels';
const INK = '#1b1b1b';
const MUTED = '#454545';

/** One person with what they may read now, for "who may read what". */
export interface ShareLine {
  name: string;
  /** Each readable section with the end of its consent (null: no end date). */
  sections: Array<{ section: Section; until: Date | null }>;
}

/** One person's looks at the plan, counted in the database. */
export interface LookLine {
  /** Already worded: a name, "someone without access (organisation)"… null: the system. */
  who: { name: string; organization: string | null } | { outsider: true; organization: string | null } | null;
  count: number;
  lastAt: Date;
}

/** Everything the client's own copy shows besides the plan itself. */
export interface ExportDocument {
  locale: Locale;
  overview: PlanOverview;
  shares: ShareLine[];
  looks: LookLine[];
  madeBy: string;
  madeAt: Date;
}

/** One consent behind a printed plan, as its footer tells it. */
export interface PrintConsent {
  section: Section;
  validFrom: Date;
  validUntil: Date | null;
  method: ConsentMethod;
}

/** Everything a printed plan for one member shows besides the plan itself. */
export interface PrintDocument {
  locale: Locale;
  overview: PlanOverview;
  memberName: string;
  /** The sections printed: those the member may read now. */
  sections: Section[];
  consents: PrintConsent[];
  printedBy: string;
  printedAt: Date;
}

/** A date in words as the language writes it (French: « 1er décembre »), kept on one line. */
const inWords = (texts: PlanPdfTexts, date: string) => {
  const written = date.replaceAll(' ', '\u00a0');
  return texts.dateLocale.startsWith('fr') ? frenchFirstOfMonth(written) : written;
};

const day = (texts: PlanPdfTexts, moment: Date | string) =>
  inWords(
    texts,
    new Intl.DateTimeFormat(texts.dateLocale, { dateStyle: 'long', timeZone: TIME_ZONE }).format(
      typeof moment === 'string' ? new Date(moment) : moment,
    ),
  );

/** A calendar date (`2026-12-01`) in words, without moving it through a time zone. */
const calendarDay = (texts: PlanPdfTexts, date: string) =>
  inWords(
    texts,
    new Intl.DateTimeFormat(texts.dateLocale, { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${date}T00:00:00Z`),
    ),
  );

const list = (texts: PlanPdfTexts, items: string[]) =>
  new Intl.ListFormat(texts.dateLocale, { type: 'conjunction' }).format(items);

const heading = (text: string, size: number, top = 14): Content => ({
  text: printable(text),
  fontSize: size,
  bold: true,
  margin: [0, top, 0, 6],
  headlineLevel: 1,
});

const paragraph = (text: string, extra: Record<string, unknown> = {}): Content => ({
  text: printable(text),
  margin: [0, 0, 0, 4],
  ...extra,
});

/** A label and its value on one line; an empty value is left out. */
function field(texts: PlanPdfTexts, label: FieldLabel, value: string | number | null | undefined): Content[] {
  if (value === null || value === undefined || value === '') return [];
  return [
    {
      text: [{ text: printable(`${texts.fields[label]}: `), bold: true }, printable(String(value))],
      margin: [0, 0, 0, 3],
    },
  ];
}

/** One item of a list section, with a line above it. */
const item = (title: string, body: Content[]): Content => ({
  stack: [{ text: printable(title), bold: true, fontSize: 14, margin: [0, 6, 0, 3] }, ...body],
  unbreakable: body.length < 6,
  margin: [0, 0, 0, 6],
});

function memberNames(overview: PlanOverview): Map<string, string> {
  const network = overview.sections.network;
  return new Map(network.withheld ? [] : network.content.map((member) => [member.id, member.name]));
}

/** The content of one readable section. */
function sectionBody<S extends Section>(
  texts: PlanPdfTexts,
  overview: PlanOverview,
  section: S,
  content: SectionContent<S>,
): Content[] {
  const names = memberNames(overview);
  const f = (label: FieldLabel, value: string | number | null | undefined) => field(texts, label, value);
  switch (section) {
    case 'network': {
      const members = content as SectionContent<'network'>;
      return members.map((member) =>
        item(member.organization ? texts.personFrom(member.name, member.organization.name) : member.name, [
          paragraph(member.relation),
          ...(member.status === 'past' ? [paragraph(texts.pastMember)] : []),
          ...(member.hidden ? [paragraph(texts.hiddenMember)] : []),
        ]),
      );
    }
    case 'request': {
      const request = content as SectionContent<'request'>;
      return request
        ? [...f('clientWords', request.clientWords), ...f('clarifiedQuestion', request.clarifiedQuestion)]
        : [];
    }
    case 'goals':
      return (content as SectionContent<'goals'>).map((goal) =>
        item(goal.title, [
          ...f('lifeDomain', texts.domain[goal.lifeDomain]),
          ...f('clientWords', goal.clientWords),
          ...f('status', texts.goalStatus[goal.status]),
          ...f('targetDate', goal.targetDate && calendarDay(texts, goal.targetDate)),
        ]),
      );
    case 'actions':
      return (content as SectionContent<'actions'>).map((action) =>
        item(action.title, [
          ...f('description', action.description),
          // Whoever reads an action sees who does it (DESIGN.md): the owner comes with the action.
          ...f('owner', action.owner ? actionOwnerLabel(action.owner) : null),
          ...f('dueOn', action.dueOn && calendarDay(texts, action.dueOn)),
          ...f('status', texts.actionStatus[action.status]),
          // The thread, oldest first: each note or status change with who wrote it and when.
          ...action.thread.flatMap((entry) =>
            f(
              'notes',
              [
                `${calendarDay(texts, entry.createdAt.slice(0, 10))}, ${entry.authorName}:`,
                entry.status ? `${texts.actionStatus[entry.status]}.` : '',
                entry.note,
              ]
                .filter((part) => part !== '')
                .join(' '),
            ),
          ),
        ]),
      );
    case 'agreements':
      return (content as SectionContent<'agreements'>).map((agreement) =>
        item(agreement.role, [
          ...f('owner', agreement.memberId ? names.get(agreement.memberId) : null),
          ...f('agreement', agreement.agreement),
          ...f('referencePerson', agreement.referencePerson),
          ...f('callWhen', agreement.callWhen),
        ]),
      );
    case 'crisis': {
      const crisis = content as SectionContent<'crisis'>;
      return crisis
        ? [
            ...f('earlySigns', crisis.earlySigns),
            ...f('whatHelps', crisis.whatHelps),
            ...f('whomToCall', crisis.whomToCall),
          ]
        : [];
    }
    case 'background': {
      const background = content as SectionContent<'background'>;
      return background
        ? [
            ...f('situation', background.situation),
            ...f('health', background.health),
            ...f('diagnoses', background.diagnoses),
            ...f('justice', background.justice),
            ...f('finances', background.finances),
          ]
        : [];
    }
    case 'meetings':
      return (content as SectionContent<'meetings'>).map((meeting) =>
        item(meeting.title, [
          ...f('heldAt', day(texts, meeting.heldAt)),
          ...f(
            'participants',
            list(texts, [
              // The client is no member of their own network: named first when they took part.
              ...(meeting.clientTookPart ? [overview.client.name] : []),
              ...meeting.participants.map((p) => p.name),
            ]),
          ),
          ...f('notes', meeting.notes),
          ...f('decisions', meeting.decisions),
          ...meeting.addedNotes.flatMap((note) => f('addedNotes', `${note.authorName}: ${note.body}`)),
        ]),
      );
    case 'evaluations':
      return (content as SectionContent<'evaluations'>).map((evaluation) =>
        item(calendarDay(texts, evaluation.evaluatedOn), [
          ...f('rating', evaluation.collaborationRating),
          ...f('collaboration', evaluation.collaborationNotes),
          ...evaluation.goals.flatMap((goal) => f('notes', `${goal.rating}/5 ${goal.notes}`.trim())),
          ...evaluation.contributions.flatMap((c) =>
            f(
              'contributions',
              [
                c.author.name ?? '',
                c.goalsRating === null ? '' : `${c.goalsRating}/5`,
                c.goalsWords,
                c.collaborationRating === null ? '' : `${c.collaborationRating}/5`,
                c.collaborationWords,
              ]
                .filter((part) => part.trim() !== '')
                .join(' · '),
            ),
          ),
        ]),
      );
    case 'closure': {
      const closure = content as SectionContent<'closure'>;
      return closure
        ? [
            ...f('closedOn', calendarDay(texts, closure.closedOn)),
            ...f('reasonKind', texts.closureReason[closure.reasonKind]),
            ...f('reason', closure.reason),
            ...f('handover', closure.handover),
          ]
        : [];
    }
    default:
      throw new Error(`unknown section ${String(section satisfies never)}`);
  }
}

/** The given sections of the overview, each under its heading; withheld ones are never printed. */
function sectionsOf(texts: PlanPdfTexts, overview: PlanOverview, sections: readonly Section[]): Content[] {
  return sections.flatMap((section) => {
    const entry = overview.sections[section];
    if (entry.withheld) return [];
    const body = sectionBody(texts, overview, section, entry.content as SectionContent<typeof section>);
    return [
      heading(texts.section[section], 18),
      ...(body.length > 0 ? body : [paragraph(texts.empty, { color: MUTED })]),
    ];
  });
}

function aboutPlan(texts: PlanPdfTexts, overview: PlanOverview): Content[] {
  const lead = overview.lead;
  return [
    paragraph(texts.phaseLine(texts.phase[overview.phase])),
    paragraph(texts.leadLine(lead.name, lead.organization.name)),
    paragraph([lead.email, lead.organization.phone].filter(Boolean).join(' · '), { color: MUTED }),
    ...(overview.startedOn ? [paragraph(texts.startedLine(calendarDay(texts, overview.startedOn)))] : []),
  ];
}

function baseDocument(
  locale: Locale,
  title: string,
  author: string,
  content: Content[],
  footer: (page: number, count: number) => Content,
  bottomMargin: number,
): TDocumentDefinitions {
  return {
    pageSize: 'A4',
    pageMargins: [50, 44, 50, bottomMargin],
    language: locale,
    info: { title: printable(title), author, creator: 'Liaison', producer: 'Liaison' },
    defaultStyle: { font: 'Roboto', fontSize: 13, lineHeight: 1.2, color: INK },
    content,
    footer,
  };
}

/** The client's own copy of the whole plan: the plan, the network, who may read what, who looked. */
export function renderExportPdf(document: ExportDocument, compress = true): Promise<Buffer> {
  const texts = PLAN_PDF_TEXTS[document.locale];
  const { overview } = document;
  const title = texts.exportTitle(overview.client.name);
  const shares: Content[] =
    document.shares.length === 0
      ? [paragraph(texts.sharesNone)]
      : document.shares.flatMap((share) => {
          const ends = new Map<string, Section[]>();
          for (const { section, until } of share.sections) {
            const key = until ? until.toISOString() : '';
            ends.set(key, [...(ends.get(key) ?? []), section]);
          }
          return [...ends].map(([until, sections]) =>
            paragraph(
              `${texts.sharesWith(
                share.name,
                list(
                  texts,
                  sections.map((s) => texts.section[s]),
                ),
              )} ${until ? texts.sharesUntil(day(texts, new Date(until))) : texts.sharesNoEnd}`,
            ),
          );
        });
  const looks: Content[] =
    document.looks.length === 0
      ? [paragraph(texts.looksNone)]
      : document.looks.map((look) => {
          const who =
            look.who === null
              ? texts.someone
              : 'outsider' in look.who
                ? texts.outsider(look.who.organization)
                : look.who.organization
                  ? texts.personFrom(look.who.name, look.who.organization)
                  : look.who.name;
          return paragraph(texts.looksLine(who, look.count, day(texts, look.lastAt)));
        });
  const content: Content[] = [
    heading(title, 26, 0),
    paragraph(texts.exportIntro),
    heading(texts.aboutPlan, 18),
    ...aboutPlan(texts, overview),
    heading(texts.partPlan, 22, 20),
    ...sectionsOf(
      texts,
      overview,
      SECTIONS.filter((section) => section !== 'network'),
    ),
    heading(texts.partNetwork, 22, 20),
    paragraph(texts.networkIntro),
    ...sectionsOf(texts, overview, ['network']).slice(1),
    heading(texts.partShares, 22, 20),
    paragraph(texts.sharesIntro),
    paragraph(texts.leadsSeeAll(overview.lead.name)),
    ...shares,
    heading(texts.partLooks, 22, 20),
    paragraph(texts.looksIntro),
    ...looks,
  ];
  const footerText = texts.exportFooter(day(texts, document.madeAt), document.madeBy);
  return renderPdf(
    baseDocument(
      document.locale,
      title,
      document.madeBy,
      content,
      (page, count) => ({
        columns: [
          { text: printable(footerText), width: '*' },
          { text: printable(texts.page(page, count)), width: 'auto' },
        ],
        fontSize: 10,
        color: MUTED,
        margin: [50, 14, 50, 0],
      }),
      50,
    ),
    compress,
  );
}

/**
 * What one member may read, on paper: the sections in the overview read as that member, with a
 * footer on every page naming the consent behind it (which sections, since when, how it was
 * recorded, until when), the day it was printed and who printed it.
 */
export function renderPrintPdf(document: PrintDocument, compress = true): Promise<Buffer> {
  const texts = PLAN_PDF_TEXTS[document.locale];
  const { overview } = document;
  const title = texts.printTitle(document.memberName);
  const sectionNames = (sections: Section[]) =>
    list(
      texts,
      sections.map((s) => texts.section[s]),
    );
  // One line per way the consent was given: sections given together share their dates and method.
  const groups = new Map<string, { consent: PrintConsent; sections: Section[] }>();
  for (const consent of document.consents) {
    const key = [
      day(texts, consent.validFrom),
      consent.method,
      consent.validUntil ? day(texts, consent.validUntil) : '',
    ].join('|');
    const group = groups.get(key) ?? { consent, sections: [] };
    if (!group.sections.includes(consent.section)) group.sections.push(consent.section);
    groups.set(key, group);
  }
  const footerLines = [
    texts.printFooterConsent(overview.client.name, document.memberName, sectionNames(document.sections)),
    ...[...groups.values()].map(
      ({ consent, sections }) =>
        `${sectionNames(sections)}: ${texts.printFooterSince(day(texts, consent.validFrom), texts.method[consent.method])} ${
          consent.validUntil ? texts.printFooterUntil(day(texts, consent.validUntil)) : texts.printFooterNoEnd
        }`,
    ),
    texts.printFooterPrinted(day(texts, document.printedAt), document.printedBy),
  ];
  const content: Content[] = [
    heading(title, 26, 0),
    paragraph(texts.printIntro(overview.client.name, document.memberName)),
    heading(texts.aboutPlan, 18),
    ...aboutPlan(texts, overview),
    ...sectionsOf(texts, overview, document.sections),
  ];
  return renderPdf(
    baseDocument(
      document.locale,
      title,
      document.printedBy,
      content,
      (page, count) => ({
        stack: [
          ...footerLines.map((line) => ({ text: printable(line) })),
          { text: printable(texts.page(page, count)), alignment: 'right' },
        ],
        fontSize: 9,
        lineHeight: 1.1,
        color: MUTED,
        margin: [50, 10, 50, 0],
      }),
      // Room for the footer: its lines at 9 pt, and the page number.
      30 + 12 * (footerLines.length + 1),
    ),
    compress,
  );
}
