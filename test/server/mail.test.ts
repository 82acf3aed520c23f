import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OUTBOX_ID_PATTERN } from '../../domain/schemas/outbox.ts';
import type { Locale } from '../../domain/vocabularies.ts';
import { loadConfig } from '../../server/config.ts';
import { publicUrlOf } from '../../server/mail/links.ts';
import { createMailer, outboxFileName } from '../../server/mail/mailer.ts';
import { formatMailDate, invitationMail, passwordResetMail } from '../../server/mail/messages.ts';
import { createAdmin, createClientUser, createProfessional } from '../factories/users.ts';
import { buildTestApp } from '../helpers/app.ts';
import { as, signedInAs } from '../helpers/session.ts';
import { startSmtpServer } from '../helpers/smtp.ts';

const FROM = 'Liaison <no-reply@liaison.localhost>';
// 1 December 2026, 14:05 in Brussels (CET, UTC+1).
const EXPIRES = new Date('2026-12-01T13:05:00Z');
const LOCALES: Locale[] = ['nl', 'fr', 'en'];

async function temporaryDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'liaison-mail-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const invitationInput = (locale: Locale, to = `invitee-${locale}@factory.example`) => ({
  to,
  locale,
  recipientName: 'Jonas Peeters',
  inviterName: 'Léa Lead',
  organizationName: 'Wonen & Werk vzw',
  link: `http://liaison.test/invitation/token-${locale}`,
  expiresAt: EXPIRES,
});
const invitation = (locale: Locale, to?: string) => invitationMail(invitationInput(locale, to));

describe('the messages', () => {
  it('formats the expiry in the recipient’s language, in Brussels time', () => {
    expect(formatMailDate(EXPIRES, 'nl')).toBe('dinsdag 1 december 2026 om 14.05 uur');
    expect(formatMailDate(EXPIRES, 'fr')).toBe('mardi 1er décembre 2026 à 14\u00a0h\u00a005');
    expect(formatMailDate(new Date('2026-07-02T07:30:00Z'), 'fr')).toBe(
      'jeudi 2 juillet 2026 à 9\u00a0h\u00a030',
    );
    expect(formatMailDate(new Date('2026-03-01T23:00:00Z'), 'fr')).toBe('lundi 2 mars 2026 à 0\u00a0h');
    expect(formatMailDate(EXPIRES, 'en')).toBe('Tuesday 1 December 2026 at 14:05');
  });

  it('writes an invitation in each language, with the link and its expiry, and escapes names in HTML', () => {
    const nl = invitation('nl');
    expect(nl.subject).toBe('Léa Lead nodigt je uit op Liaison');
    expect(nl.text).toContain(
      'Maak je account aan bij Wonen & Werk vzw:\nhttp://liaison.test/invitation/token-nl',
    );
    expect(nl.text).toContain('tot dinsdag 1 december 2026 om 14.05 uur');
    expect(nl.html).toContain('Wonen &amp; Werk vzw');
    expect(nl.html).toContain('href="http://liaison.test/invitation/token-nl"');
    const fr = invitation('fr');
    expect(fr.subject).toBe('Léa Lead vous invite sur Liaison');
    expect(fr.text).toContain('le réseau d’une personne accompagnée');
    expect(fr.text).toContain('Créez votre compte chez Wonen & Werk vzw\u00a0:');
    expect(fr.text).toContain('jusqu’au mardi 1er décembre 2026');
    expect(invitation('en').subject).toBe('Léa Lead invited you to Liaison');

    const hostile = invitationMail({
      ...invitationInput('en'),
      inviterName: 'Eve\r\nBcc: everyone@example.org <script>',
      organizationName: null,
    });
    expect(hostile.subject).toBe('Eve Bcc: everyone@example.org <script> invited you to Liaison');
    expect(hostile.html).not.toContain('<script>');
    expect(hostile.text).toContain('Create your account:\n');
  });

  it('writes a password reset that says what to do if you did not ask', () => {
    const reset = (locale: Locale) =>
      passwordResetMail({
        to: 'someone@factory.example',
        locale,
        recipientName: 'Nora',
        link: 'http://liaison.test/reset-password/abc',
        expiresAt: EXPIRES,
      });
    expect(reset('nl').text).toMatch(/Heb je dit niet gevraagd\? Negeer deze e-mail/);
    expect(reset('fr').text).toContain('Vous n’avez rien demandé\u202f? Ignorez ce message\u00a0:');
    expect(reset('en').text).toContain('Did you not ask for this? Then ignore this e-mail');
    for (const locale of LOCALES) {
      expect(reset(locale).text).toContain('http://liaison.test/reset-password/abc');
      expect(reset(locale).html).toContain(`<html lang="${locale}">`);
    }
  });

  it('builds absolute links from PUBLIC_URL, else from HOST and PORT', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://liaison.example/app/' });
    expect(config.PUBLIC_URL).toBe('https://liaison.example/app');
    const urls = publicUrlOf(config);
    expect(urls.invitation('a/b')).toBe('https://liaison.example/app/invitation/a%2Fb');
    expect(urls.passwordReset('t0k')).toBe('https://liaison.example/app/reset-password/t0k');
    expect(urls.activation({ login: 'karim', code: 'AB 12' })).toBe(
      'https://liaison.example/app/activate?login=karim&code=AB+12',
    );
    expect(publicUrlOf(loadConfig({ PORT: '3100' })).base).toBe('http://127.0.0.1:3100');
    expect(publicUrlOf(loadConfig({ HOST: '0.0.0.0' })).base).toBe('http://127.0.0.1:3000');
    expect(publicUrlOf(loadConfig({ HOST: '::1' })).base).toBe('http://[::1]:3000');
  });

  it('accepts only smtp:// and smtps:// for SMTP_URL, and http(s) for PUBLIC_URL', () => {
    expect(loadConfig({}).MAIL_FROM).toBe(FROM);
    expect(loadConfig({ SMTP_URL: 'smtps://user:pw@mail.example:465' }).SMTP_URL).toBe(
      'smtps://user:pw@mail.example:465',
    );
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example' })).toThrow(/SMTP_URL: must be an smtp/);
    expect(() => loadConfig({ PUBLIC_URL: 'javascript:alert(1)' })).toThrow(/PUBLIC_URL/);
  });
});

describe('sending over SMTP', async () => {
  const smtp = await startSmtpServer();
  const mailer = createMailer({ SMTP_URL: smtp.url, MAIL_FROM: FROM, DATA_DIR: await temporaryDataDir() });
  afterAll(() => mailer.close());

  it('delivers invitations and resets in nl, fr and en, with subject, text and HTML', async () => {
    expect(mailer.outboxDir).toBeNull();
    for (const locale of LOCALES) await mailer.send(invitation(locale));
    for (const locale of LOCALES) {
      const mail = await smtp.waitForMail((m) => m.to.includes(`invitee-${locale}@factory.example`));
      const sent = invitation(locale);
      expect(mail.subject).toBe(sent.subject);
      expect(mail.from).toMatch(/^"?Liaison"? <no-reply@liaison\.localhost>$/);
      expect(mail.text.trimEnd()).toBe(sent.text.trimEnd());
      expect(mail.html).toContain(`lang="${locale}"`);
      expect(mail.links).toEqual([`http://liaison.test/invitation/token-${locale}`]);
      expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    }
    await mailer.send(
      passwordResetMail({
        to: 'Nora.Partner@Factory.example',
        locale: 'fr',
        recipientName: 'Nora',
        link: 'http://liaison.test/reset-password/xyz',
        expiresAt: EXPIRES,
      }),
    );
    const reset = await smtp.waitForMail((m) => m.to.includes('nora.partner@factory.example'));
    expect(reset.subject).toBe('Choisissez un nouveau mot de passe pour Liaison');
    expect(reset.text).toContain('jusqu’au mardi 1er décembre 2026 à 14\u00a0h\u00a005');
  });

  it('rejects when nothing arrives in time, naming what did', async () => {
    await expect(smtp.waitForMail((m) => m.to.includes('nobody@factory.example'), 50)).rejects.toThrow(
      /no matching e-mail within 50 ms \(received: "/,
    );
  });
});

describe('the app over SMTP_URL', async () => {
  const smtp = await startSmtpServer();
  const { app, db } = await buildTestApp({ template: 'liaison_empty', config: { SMTP_URL: smtp.url } });
  const admin = await signedInAs(app, await createAdmin(db));

  it('sends with app.mailer, and has no outbox', async () => {
    await app.mailer.send(invitation('nl', 'via-app@factory.example'));
    const mail = await smtp.waitForMail((m) => m.to.includes('via-app@factory.example'));
    expect(mail.subject).toBe('Léa Lead nodigt je uit op Liaison');
    const list = await as(app, admin).get('/api/outbox');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ enabled: false, items: [], nextCursor: null });
    const one = await as(app, admin).get(`/api/outbox/${outboxFileName(new Date())}`);
    expect(one.statusCode).toBe(404);
  });
});

describe('the outbox (no SMTP_URL)', async () => {
  const dataDir = await temporaryDataDir();
  const outbox = path.join(dataDir, 'outbox');
  const { app, db } = await buildTestApp({ template: 'liaison_empty', config: { DATA_DIR: dataDir } });
  const admin = as(app, await signedInAs(app, await createAdmin(db)));
  const professional = as(app, await signedInAs(app, await createProfessional(db)));
  const client = as(app, await signedInAs(app, await createClientUser(db)));

  it('starts empty, before any message made the directory', async () => {
    const response = await admin.get('/api/outbox');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ enabled: true, items: [], nextCursor: null });
  });

  it('writes each message as one .eml file, readable only by the server, with no temporary file left', async () => {
    expect(app.mailer.outboxDir).toBe(outbox);
    for (const locale of LOCALES) await app.mailer.send(invitation(locale));
    const names = await readdir(outbox);
    expect(names).toHaveLength(3);
    for (const name of names) {
      expect(name).toMatch(OUTBOX_ID_PATTERN);
      expect((await stat(path.join(outbox, name))).mode & 0o777).toBe(0o600);
    }
    const raw = await Promise.all(names.map((name) => readFile(path.join(outbox, name), 'utf8')));
    expect(raw.join('\n')).toMatch(/^From: Liaison <no-reply@liaison\.localhost>/m);
    expect(raw.join('\n')).toMatch(/^Content-Type: multipart\/alternative/m);
  });

  it('lists the messages for an admin, newest first, page by page, and shows one as text', async () => {
    await app.mailer.send(invitation('en', 'latest@factory.example'));
    const first = await admin.get('/api/outbox?limit=3');
    expect(first.statusCode).toBe(200);
    const page = first.json<{
      enabled: boolean;
      items: Array<{ id: string; to: string; subject: string; date: string }>;
      nextCursor: string | null;
    }>();
    expect(page.enabled).toBe(true);
    expect(page.items).toHaveLength(3);
    expect(page.items[0]).toMatchObject({
      to: 'latest@factory.example',
      subject: 'Léa Lead invited you to Liaison',
    });
    const ids = page.items.map((item) => item.id);
    expect(ids).toEqual([...ids].sort().reverse());
    expect(Date.parse(page.items[0]!.date)).toBeGreaterThan(Date.now() - 60_000);
    expect(page.nextCursor).toBe(ids[2]);

    const rest = await admin.get(`/api/outbox?limit=3&cursor=${page.nextCursor}`);
    expect(rest.json()).toMatchObject({ items: [expect.any(Object)], nextCursor: null });
    expect(rest.json<{ items: Array<{ id: string }> }>().items[0]!.id < ids[2]!).toBe(true);

    const one = await admin.get(`/api/outbox/${ids[0]}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: ids[0], to: 'latest@factory.example' });
    expect(one.json<{ text: string }>().text).toContain('http://liaison.test/invitation/token-en');
  });

  it('refuses professionals and clients (403), and anyone without a session (401)', async () => {
    const id = (await readdir(outbox))[0]!;
    for (const user of [professional, client]) {
      for (const url of ['/api/outbox', `/api/outbox/${id}`]) {
        const response = await user.get(url);
        expect(response.statusCode, url).toBe(403);
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
    }
    for (const url of ['/api/outbox', `/api/outbox/${id}`])
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('reads only names the mailer writes: no path traversal, no other file', async () => {
    await writeFile(path.join(dataDir, 'secret.eml'), 'Subject: Kept out\n\nTOP-SECRET');
    await writeFile(path.join(outbox, 'notes.eml'), 'Subject: Not ours\n\nNOT-OURS');
    for (const id of [
      '..%2Fsecret.eml',
      '..%2F..%2Fetc%2Fpasswd',
      '%2E%2E%2Fsecret.eml',
      'notes.eml',
      `${outboxFileName(new Date()).slice(0, -4)}.txt`,
      `..%2F${outboxFileName(new Date())}`,
    ]) {
      const response = await admin.get(`/api/outbox/${id}`);
      expect(response.statusCode, id).toBe(400);
      expect(response.body).not.toMatch(/TOP-SECRET|NOT-OURS/);
    }
    expect((await admin.get(`/api/outbox/${outboxFileName(new Date())}`)).statusCode).toBe(404);
    expect((await admin.get('/api/outbox?cursor=..%2Fsecret.eml')).statusCode).toBe(400);
    const all = await admin.get('/api/outbox?limit=200');
    expect(all.body).not.toMatch(/Not ours|NOT-OURS/);
  });
});
