import { inArray, like, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loginThrottle } from '../../db/schema/index.ts';
import { addressKey, LoginThrottle, signInPolicy } from '../../server/services/login-throttle.ts';
import { createUser, TEST_PASSWORD } from '../factories/users.ts';
import { buildTestApp } from '../helpers/app.ts';

// Issue 16, finding 7: five wrong passwords made the right one answer 429 for 15 minutes for the
// account's owner too, and 30 failures from one address locked out everyone behind it.
// The throttle's clock stands still here: a wait ends only when a test moves it (no sleeping).

describe('sign-in throttling (default limits)', async () => {
  let now = new Date('2026-12-01T09:00:00Z');
  const later = (seconds: number) => {
    now = new Date(now.getTime() + seconds * 1000);
  };
  const { app, db, config } = await buildTestApp({ template: 'liaison_empty', now: () => now });
  const attempt = (email: string, password: string, remoteAddress: string) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress });

  it("does not slow the owner signing in from another address after five wrong passwords from someone else's", async () => {
    const owner = await createUser(db);
    for (let i = 0; i < 5; i += 1)
      expect((await attempt(owner.email, 'wrong', '192.0.2.10')).statusCode).toBe(401);
    const fromHome = await attempt(owner.email, TEST_PASSWORD, '198.51.100.7');
    expect(fromHome.statusCode).toBe(200);
    // The guesser's address waits (the right password from there too, until the wait is over).
    const guesser = await attempt(owner.email, TEST_PASSWORD, '192.0.2.10');
    expect(guesser.statusCode).toBe(429);
    expect(guesser.headers['retry-after']).toBe('1');
  });

  it('does not lock out another account behind an address after 30+ failures from it (one proxy, one organisation)', async () => {
    const proxy = '203.0.113.1';
    const colleague = await createUser(db);
    // 40 failures from one address: mistyped addresses, and one person who forgot their password.
    const forgetful = await createUser(db);
    for (let i = 0; i < 35; i += 1)
      expect((await attempt(`nobody-${i}@factory.example`, 'wrong', proxy)).statusCode).toBe(401);
    for (let i = 0; i < 5; i += 1)
      expect((await attempt(forgetful.email, 'wrong', proxy)).statusCode).toBe(401);
    expect((await attempt(colleague.email, TEST_PASSWORD, proxy)).statusCode).toBe(200);
    // The one who forgot waits a second, and is let in with the right password after it.
    expect((await attempt(forgetful.email, TEST_PASSWORD, proxy)).statusCode).toBe(429);
    later(1);
    expect((await attempt(forgetful.email, TEST_PASSWORD, proxy)).statusCode).toBe(200);
  });

  it('makes each further attempt of one account from one address wait twice as long, up to 15 minutes; a success clears it', async () => {
    const user = await createUser(db);
    const address = '192.0.2.20';
    for (let i = 0; i < 5; i += 1) expect((await attempt(user.email, 'wrong', address)).statusCode).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const waiting = await attempt(user.email, 'wrong', address);
      expect(waiting.statusCode).toBe(429);
      const wait = Number(waiting.headers['retry-after']);
      waits.push(wait);
      // One second early is still too early; an attempt answered 429 is not counted.
      later(wait - 1);
      expect((await attempt(user.email, TEST_PASSWORD, address)).statusCode).toBe(429);
      later(1);
      expect((await attempt(user.email, 'wrong', address)).statusCode).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
    later(900);
    expect((await attempt(user.email, TEST_PASSWORD, address)).statusCode).toBe(200);
    // Cleared: five failures are free again.
    for (let i = 0; i < 5; i += 1) expect((await attempt(user.email, 'wrong', address)).statusCode).toBe(401);
    expect((await attempt(user.email, TEST_PASSWORD, address)).statusCode).toBe(429);
  });

  it('slows, never locks, an account guessed at from many addresses: after 50 failures in an hour the right password works after the wait', async () => {
    const user = await createUser(db);
    for (let i = 0; i < 50; i += 1)
      expect((await attempt(user.email, 'wrong', `10.20.0.${i + 1}`)).statusCode).toBe(401);
    const waiting = await attempt(user.email, TEST_PASSWORD, '198.51.100.99');
    expect(waiting.statusCode).toBe(429);
    expect(waiting.headers['retry-after']).toBe('1');
    later(1);
    expect((await attempt(user.email, TEST_PASSWORD, '198.51.100.99')).statusCode).toBe(200);
    // The owner's success does not clear the count of guesses from elsewhere.
    expect((await attempt(user.email, 'wrong', '10.20.1.1')).statusCode).toBe(401);
    expect((await attempt(user.email, TEST_PASSWORD, '198.51.100.99')).statusCode).toBe(429);
    // An hour after the first failure, the count starts again.
    later(3600);
    expect((await attempt(user.email, 'wrong', '10.20.1.2')).statusCode).toBe(401);
    expect((await attempt(user.email, TEST_PASSWORD, '198.51.100.99')).statusCode).toBe(200);
  });

  it('slows an address after 300 failures in 15 minutes', async () => {
    const address = '192.0.2.30';
    const user = await createUser(db);
    // Counted straight into the app's throttle: 300 sign-ins would spend most of their time hashing.
    for (let i = 0; i < 299; i += 1)
      await app.throttles.signIn.recordFailure(`someone-${i}@factory.example`, address);
    expect((await attempt(user.email, TEST_PASSWORD, address)).statusCode).toBe(200);
    expect((await attempt('someone-299@factory.example', 'wrong', address)).statusCode).toBe(401);
    expect((await attempt(user.email, TEST_PASSWORD, address)).statusCode).toBe(429);
    expect((await attempt(user.email, TEST_PASSWORD, '192.0.2.31')).statusCode).toBe(200);
    later(1);
    expect((await attempt(user.email, TEST_PASSWORD, address)).statusCode).toBe(200);
  });

  it('counts failures that arrive at once, none lost (one atomic upsert per key)', async () => {
    const throttle = new LoginThrottle(db, signInPolicy(config), () => now);
    await Promise.all(
      Array.from({ length: 20 }, () => throttle.recordFailure('at-once@factory.example', '192.0.2.40')),
    );
    const rows = await db
      .select({ key: loginThrottle.key, failures: loginThrottle.failures })
      .from(loginThrottle)
      .where(like(loginThrottle.key, '%at-once@factory.example%'));
    expect(rows.map((row) => row.failures)).toEqual([20, 20]);
  });

  it('forgets rows whose window and wait are long over, at a later failure', async () => {
    await db.execute(sql`
      insert into login_throttle (key, failures, window_start, blocked_until)
      values ('login|pair|old@factory.example|192.0.2.50', 9, ${new Date(now.getTime() - 25 * 3600_000).toISOString()}::timestamptz, null),
             ('login|pair|waiting@factory.example|192.0.2.50', 9, ${new Date(now.getTime() - 25 * 3600_000).toISOString()}::timestamptz,
              ${new Date(now.getTime() + 60_000).toISOString()}::timestamptz)`);
    expect((await attempt('new@factory.example', 'wrong', '192.0.2.51')).statusCode).toBe(401);
    const left = await db
      .select({ key: loginThrottle.key })
      .from(loginThrottle)
      .where(
        inArray(loginThrottle.key, [
          'login|pair|old@factory.example|192.0.2.50',
          'login|pair|waiting@factory.example|192.0.2.50',
        ]),
      );
    expect(left.map((row) => row.key)).toEqual(['login|pair|waiting@factory.example|192.0.2.50']);
  });
});

describe('the address a failure is counted against', () => {
  it('is an IPv4 address as is, also when IPv4-mapped, and an IPv6 address by its /64 network', () => {
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('2001:db8:0:1:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:DB8:0:1::9')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});
