import argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, 3 passes), stored as a PHC string. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

let decoyHash: Promise<string> | undefined;

/**
 * Verifies a password. Without a stored hash (unknown e-mail) it still verifies against a decoy,
 * so that an unknown account and a wrong password take the same time.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  decoyHash ??= hashPassword('decoy-password-that-never-matches');
  const hash = storedHash ?? (await decoyHash);
  const matches = await argon2.verify(hash, password).catch(() => false);
  return storedHash !== null && matches;
}
