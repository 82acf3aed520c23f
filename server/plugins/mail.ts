import fp from 'fastify-plugin';
import type { AppConfig } from '../config.ts';
import { createMailer, type Mailer } from '../mail/mailer.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Sends e-mail (server/mail/mailer.ts); build the messages with server/mail/messages.ts. */
    mailer: Mailer;
  }
}

/**
 * Makes the mailer available as `app.mailer`: the one of the configuration (SMTP over `SMTP_URL`,
 * else the outbox in `DATA_DIR`), closed with the app; or the one a test passes, which the test owns.
 */
export default fp<{ config: AppConfig; mailer?: Mailer | undefined }>(
  async function mailPlugin(app, { config, mailer }) {
    if (mailer) {
      app.decorate('mailer', mailer);
      return;
    }
    const own = createMailer(config);
    app.decorate('mailer', own);
    app.addHook('onClose', async () => {
      await own.close();
    });
  },
  { name: 'mail' },
);
