import type { Locale } from '../../domain/vocabularies.ts';
import type { OutgoingMail } from './mailer.ts';

// The e-mails Liaison sends, in the recipient's language. They never carry plan content (nor the
// client's name): only that there is something to do, and the link. Each builder writes its words
// as paragraphs; `compose` turns them into the plain text and a simple HTML alternative. A new
// message (a daily digest…) is one more builder of the same shape.

export type { OutgoingMail };

/** A paragraph, or a link shown as a button with its address below it. */
type Block = string | { label: string; href: string };

interface Letter {
  subject: string;
  greeting: string;
  blocks: Block[];
}

const TIME_ZONE = 'Europe/Brussels';
const INTL_LOCALE: Record<Locale, string> = { nl: 'nl-BE', fr: 'fr-BE', en: 'en-GB' };
// French puts a no-break space before ":" and a narrow one before "?" and "!".
const NBSP = '\u00a0';
const NNBSP = '\u202f';

/**
 * A moment as people read it in Brussels: "dinsdag 1 december 2026 om 14.05 uur",
 * "mardi 1er décembre 2026 à 14 h 05", "Tuesday 1 December 2026 at 14:05".
 */
export function formatMailDate(moment: Date, locale: Locale): string {
  const parts = new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    timeZone: TIME_ZONE,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(moment);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const [weekday, day, month, year] = [part('weekday'), part('day'), part('month'), part('year')];
  const [hour, minute] = [part('hour'), part('minute')];
  switch (locale) {
    case 'nl':
      return `${weekday} ${day} ${month} ${year} om ${hour}.${minute} uur`;
    case 'fr':
      // "1er décembre"; "14 h 05", and "14 h" on the hour.
      return `${weekday} ${day === '1' ? '1er' : day} ${month} ${year} à ${Number(hour)}${NBSP}h${minute === '00' ? '' : `${NBSP}${minute}`}`;
    case 'en':
      return `${weekday} ${day} ${month} ${year} at ${hour}:${minute}`;
  }
}

/** A name or title as one line: no line breaks can slip into a subject or a paragraph. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const FOOTER: Record<Locale, string> = {
  nl: 'Dit bericht is automatisch verstuurd door Liaison. Antwoorden worden niet gelezen.',
  fr: 'Ce message a été envoyé automatiquement par Liaison. Les réponses ne sont pas lues.',
  en: 'This message was sent automatically by Liaison. Replies are not read.',
};

function renderText(letter: Letter, locale: Locale): string {
  const blocks = letter.blocks.map((block) =>
    typeof block === 'string' ? block : `${block.label}${locale === 'fr' ? NBSP : ''}:\n${block.href}`,
  );
  return [letter.greeting, ...blocks, `-- \n${FOOTER[locale]}`].join('\n\n') + '\n';
}

function renderHtml(letter: Letter, locale: Locale): string {
  const paragraph = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  const blocks = letter.blocks.map((block) => {
    if (typeof block === 'string') return paragraph(block);
    const href = escapeHtml(block.href);
    return [
      '<p style="margin:24px 0 8px">',
      `<a href="${href}" style="display:inline-block;padding:12px 20px;background:#1d4ed8;color:#ffffff;`,
      `text-decoration:none;border-radius:6px;font-weight:bold">${escapeHtml(block.label)}</a></p>`,
      `<p style="margin:0 0 24px;font-size:14px;color:#4b5563;word-break:break-all">${href}</p>`,
    ].join('');
  });
  return [
    '<!doctype html>',
    `<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(letter.subject)}</title></head>`,
    '<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:16px;',
    'line-height:1.5;color:#111827;background:#ffffff">',
    '<div style="max-width:560px">',
    paragraph(letter.greeting),
    ...blocks,
    `<p style="margin:32px 0 0;font-size:13px;color:#6b7280">${escapeHtml(FOOTER[locale])}</p>`,
    '</div></body></html>',
    '',
  ].join('\n');
}

function compose(to: string, locale: Locale, letter: Letter): OutgoingMail {
  return {
    to,
    subject: oneLine(letter.subject),
    text: renderText(letter, locale),
    html: renderHtml(letter, locale),
  };
}

function greeting(locale: Locale, name: string): string {
  const who = oneLine(name);
  switch (locale) {
    case 'nl':
      return who ? `Dag ${who},` : 'Dag,';
    case 'fr':
      return who ? `Bonjour ${who},` : 'Bonjour,';
    case 'en':
      return who ? `Hello ${who},` : 'Hello,';
  }
}

export interface InvitationMailInput {
  to: string;
  locale: Locale;
  recipientName: string;
  /** Who invites: the lead's name. */
  inviterName: string;
  /** The organisation the new account will belong to; null for an informal supporter's account. */
  organizationName: string | null;
  /** The single-use link that creates the account (links.ts, `invitation(token)`). */
  link: string;
  expiresAt: Date;
}

/** "X invited you to Liaison…": the invitation of a professional or informal supporter. Never names the client. */
export function invitationMail(input: InvitationMailInput): OutgoingMail {
  const inviter = oneLine(input.inviterName);
  const organization = input.organizationName ? oneLine(input.organizationName) : null;
  const until = formatMailDate(input.expiresAt, input.locale);
  const letters: Record<Locale, () => Letter> = {
    nl: () => ({
      subject: `${inviter} nodigt je uit op Liaison`,
      greeting: greeting('nl', input.recipientName),
      blocks: [
        `${inviter} nodigt je uit op Liaison, om samen te werken in het netwerk rond iemand die ondersteuning krijgt.`,
        {
          label: organization ? `Maak je account aan bij ${organization}` : 'Maak je account aan',
          href: input.link,
        },
        `De link werkt één keer, tot ${until}.`,
        'Verwachtte je deze uitnodiging niet? Dan hoef je niets te doen.',
      ],
    }),
    fr: () => ({
      subject: `${inviter} vous invite sur Liaison`,
      greeting: greeting('fr', input.recipientName),
      blocks: [
        `${inviter} vous invite sur Liaison, pour travailler ensemble dans le réseau d’une personne accompagnée.`,
        {
          label: organization ? `Créez votre compte chez ${organization}` : 'Créez votre compte',
          href: input.link,
        },
        `Le lien ne fonctionne qu’une fois, jusqu’au ${until}.`,
        `Vous n’attendiez pas cette invitation${NNBSP}? Vous n’avez rien à faire.`,
      ],
    }),
    en: () => ({
      subject: `${inviter} invited you to Liaison`,
      greeting: greeting('en', input.recipientName),
      blocks: [
        `${inviter} invited you to Liaison, to work together in the network around a person they support.`,
        {
          label: organization ? `Create your account at ${organization}` : 'Create your account',
          href: input.link,
        },
        `The link works once, until ${until}.`,
        'Not expecting this invitation? Then there is nothing you need to do.',
      ],
    }),
  };
  return compose(input.to, input.locale, letters[input.locale]());
}

export interface PasswordResetMailInput {
  to: string;
  locale: Locale;
  recipientName: string;
  /** The single-use link (links.ts, `passwordReset(token)`), valid one hour. */
  link: string;
  expiresAt: Date;
}

/** The link to choose a new password; "if you did not ask for it, ignore this e-mail". */
export function passwordResetMail(input: PasswordResetMailInput): OutgoingMail {
  const until = formatMailDate(input.expiresAt, input.locale);
  const letters: Record<Locale, () => Letter> = {
    nl: () => ({
      subject: 'Kies een nieuw wachtwoord voor Liaison',
      greeting: greeting('nl', input.recipientName),
      blocks: [
        'Iemand vroeg om een nieuw wachtwoord voor je account op Liaison.',
        { label: 'Kies een nieuw wachtwoord', href: input.link },
        `De link werkt één keer, tot ${until}.`,
        'Heb je dit niet gevraagd? Negeer deze e-mail dan: je wachtwoord blijft hetzelfde.',
      ],
    }),
    fr: () => ({
      subject: 'Choisissez un nouveau mot de passe pour Liaison',
      greeting: greeting('fr', input.recipientName),
      blocks: [
        'Quelqu’un a demandé un nouveau mot de passe pour votre compte sur Liaison.',
        { label: 'Choisir un nouveau mot de passe', href: input.link },
        `Le lien ne fonctionne qu’une fois, jusqu’au ${until}.`,
        `Vous n’avez rien demandé${NNBSP}? Ignorez ce message${NBSP}: votre mot de passe ne change pas.`,
      ],
    }),
    en: () => ({
      subject: 'Choose a new password for Liaison',
      greeting: greeting('en', input.recipientName),
      blocks: [
        'Someone asked for a new password for your account on Liaison.',
        { label: 'Choose a new password', href: input.link },
        `The link works once, until ${until}.`,
        'Did you not ask for this? Then ignore this e-mail: your password stays the same.',
      ],
    }),
  };
  return compose(input.to, input.locale, letters[input.locale]());
}

export interface DigestMailInput {
  to: string;
  locale: Locale;
  recipientName: string;
  /** How many notices are unread in the recipient's inbox. */
  unread: number;
  /** The inbox in the web app (links.ts, `to('/notifications')`). */
  link: string;
  /** Where the digest is switched off (links.ts, `to('/account')`). */
  settingsLink: string;
}

/**
 * The daily digest (issue 14): how many notices wait in the inbox and the link to it, nothing
 * else — never a client's name, a section or any plan content; those are read in the app, through
 * the recipient's own rights.
 */
export function digestMail(input: DigestMailInput): OutgoingMail {
  const n = input.unread;
  const letters: Record<Locale, () => Letter> = {
    nl: () => ({
      subject: n === 1 ? 'Je hebt 1 nieuw bericht in Liaison' : `Je hebt ${n} nieuwe berichten in Liaison`,
      greeting: greeting('nl', input.recipientName),
      blocks: [
        n === 1 ? 'Er wacht 1 bericht op je in Liaison.' : `Er wachten ${n} berichten op je in Liaison.`,
        { label: 'Lees je berichten', href: input.link },
        'Wil je deze e-mail niet meer krijgen? Zet hem uit bij Mijn account.',
        { label: 'Mijn account', href: input.settingsLink },
      ],
    }),
    fr: () => ({
      subject: n === 1 ? 'Vous avez 1 nouvel avis dans Liaison' : `Vous avez ${n} nouveaux avis dans Liaison`,
      greeting: greeting('fr', input.recipientName),
      blocks: [
        n === 1 ? '1 avis vous attend dans Liaison.' : `${n} avis vous attendent dans Liaison.`,
        { label: 'Lire vos avis', href: input.link },
        `Vous ne voulez plus recevoir cet e-mail${NNBSP}? Désactivez-le dans Mon compte.`,
        { label: 'Mon compte', href: input.settingsLink },
      ],
    }),
    en: () => ({
      subject: n === 1 ? 'You have 1 new notice in Liaison' : `You have ${n} new notices in Liaison`,
      greeting: greeting('en', input.recipientName),
      blocks: [
        n === 1 ? '1 notice is waiting for you in Liaison.' : `${n} notices are waiting for you in Liaison.`,
        { label: 'Read your notices', href: input.link },
        'Rather not get this e-mail? Switch it off under My account.',
        { label: 'My account', href: input.settingsLink },
      ],
    }),
  };
  return compose(input.to, input.locale, letters[input.locale]());
}
