import { z } from 'zod';
import { LOCALES, USER_KINDS } from '../vocabularies.ts';

export const LoginSchema = z
  .object({
    /** An e-mail address, or the sign-in name of an access letter. */
    login: z.string().trim().min(3).max(254).optional(),
    /** The e-mail address (kept for API clients written before `login`). */
    email: z.string().trim().min(3).max(254).optional(),
    password: z.string().min(1).max(1024),
  })
  .strict()
  .refine((body) => (body.login === undefined) !== (body.email === undefined), {
    message: 'Send either `login` (an e-mail address or a sign-in name) or `email`, not both.',
    path: ['login'],
  });

export type LoginInput = z.infer<typeof LoginSchema>;

export const UserSchema = z
  .object({
    id: z.uuid(),
    /** Null for a client or supporter who signs in with the sign-in name of their access letter. */
    email: z.string().nullable(),
    signInName: z.string().nullable(),
    name: z.string(),
    kind: z.enum(USER_KINDS),
    locale: z.enum(LOCALES),
    secrecyBound: z.boolean(),
  })
  .meta({ id: 'User' });

export type User = z.infer<typeof UserSchema>;

export const OrganizationRefSchema = z
  .object({ id: z.uuid(), name: z.string() })
  .meta({ id: 'OrganizationRef' });

export const LoginResponseSchema = z.object({
  user: UserSchema,
  expiresAt: z.iso.datetime({ offset: true }),
  /** For API clients that send `Authorization: Bearer`; the web app uses the httpOnly cookie. */
  token: z.string(),
});

export const MeSchema = z
  .object({
    user: UserSchema,
    organization: OrganizationRefSchema.nullable(),
    /** Packed CASL rules (`packRules`): the web app only hides what the server would refuse. */
    rules: z.array(z.array(z.unknown())),
  })
  .meta({ id: 'Me' });

export type Me = z.infer<typeof MeSchema>;

/** Whether someone is signed in, without a 401 when nobody is (the sign-in page asks it too). */
export const SessionStateSchema = z.object({ me: MeSchema.nullable() }).meta({ id: 'SessionState' });

export const UpdateMeSchema = z.object({ locale: z.enum(LOCALES) }).strict();
