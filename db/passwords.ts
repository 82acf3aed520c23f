import { hash, verify } from '@node-rs/argon2';

// The stored credential format (users.password_hash), so it lives with the data: the demo seed
// hashes with it and the server verifies with it.
// @node-rs/argon2 ships prebuilt binaries per platform (no compile at install); its default is
// argon2id with OWASP's recommended cost (19 MiB, 2 passes, 1 lane).

/** Hashes a password with argon2id, as a PHC string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

let decoyHash: Promise<string> | undefined;

/**
 * Verifies a password. Without a stored hash (unknown e-mail) it still verifies against a decoy,
 * so that an unknown account and a wrong password take the same time.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  decoyHash ??= hashPassword('decoy-password-that-never-matches');
  const hashToCheck = storedHash ?? (await decoyHash);
  const matches = await verify(hashToCheck, password).catch(() => false);
  return storedHash !== null && matches;
}
