import { isIPv6 } from 'node:net';
import type { Database } from '../../db/client.ts';
import {
  clearThrottleKeys,
  findBlockedUntil,
  recordThrottleFailures,
  type CountedKey,
} from '../../db/queries/throttle.ts';
import type { AppConfig } from '../config.ts';
import { TooManyRequests } from '../errors.ts';

/** How one kind of key counts failures: see `CountedKey`. */
export type ThrottleRule = Omit<CountedKey, 'key'>;

/**
 * What one door (sign-in, activation, reset request) counts. `pair` is one account from one
 * address: the only count a success clears. `account` counts across every address (distributed
 * guessing), `address` across every account (one address trying many). Each only ever delays.
 */
export interface ThrottlePolicy {
  /** Keeps the doors' counts apart in the one table. */
  scope: string;
  pair?: ThrottleRule;
  account?: ThrottleRule;
  address?: ThrottleRule;
  /** What the 429 says is being limited, e.g. "failed sign-ins". */
  attempts: string;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/**
 * Rows are deleted once their window started this long ago (and their wait is over): the longest
 * window of any rule, so that no count is forgotten early.
 */
const LONGEST_WINDOW_MS = 24 * HOUR;

/**
 * Sign-in: an account and address pair waits 1 s, 2 s, 4 s… (up to LOGIN_MAX_DELAY_SECONDS)
 * after LOGIN_FAILURES_BEFORE_DELAY failures, and a success clears it, so the owner elsewhere is
 * never slowed by someone else's guesses. Far higher counts per account (an hour) and per address
 * (15 minutes, an organisation behind one proxy) add the same growing waits, never a lock.
 */
export function signInPolicy(config: AppConfig): ThrottlePolicy {
  const growing = { firstDelayMs: SECOND, maxDelayMs: config.LOGIN_MAX_DELAY_SECONDS * SECOND };
  return {
    scope: 'login',
    attempts: 'failed sign-ins',
    pair: { freeFailures: config.LOGIN_FAILURES_BEFORE_DELAY, windowMs: LONGEST_WINDOW_MS, ...growing },
    account: { freeFailures: config.LOGIN_MAX_FAILURES_PER_ACCOUNT, windowMs: HOUR, ...growing },
    address: { freeFailures: config.LOGIN_MAX_FAILURES_PER_ADDRESS, windowMs: 15 * MINUTE, ...growing },
  };
}

/**
 * Activation codes: each letter is blocked by its own count in the database (20 wrong codes); the
 * address count stops one address from guessing across letters.
 */
export function activationPolicy(config: AppConfig): ThrottlePolicy {
  return {
    scope: 'activation',
    attempts: 'wrong codes',
    address: {
      freeFailures: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowMs: 15 * MINUTE,
      firstDelayMs: SECOND,
      maxDelayMs: config.LOGIN_MAX_DELAY_SECONDS * SECOND,
    },
  };
}

/**
 * Password reset requests: every request counts (each may send an e-mail), 3 per e-mail address
 * and 10 per address in an hour; past that, the next request waits out the hour. The owner
 * already has the last link sent.
 */
export function passwordResetPolicy(): ThrottlePolicy {
  const hourly = { windowMs: HOUR, firstDelayMs: HOUR, maxDelayMs: HOUR };
  return {
    scope: 'reset',
    attempts: 'password reset requests',
    account: { freeFailures: 3, ...hourly },
    address: { freeFailures: 10, ...hourly },
  };
}

/**
 * Counts failed attempts in PostgreSQL (table `login_throttle`), so that every instance on one
 * database counts together, and answers 429 with Retry-After while a count makes the next attempt
 * wait. Successful attempts cost one read and one delete. `now` is the clock (tests move it).
 */
export class LoginThrottle {
  constructor(
    private readonly db: Database,
    private readonly policy: ThrottlePolicy,
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const rule of this.rules())
      if (rule.windowMs > LONGEST_WINDOW_MS)
        throw new Error(`a throttle window is longer than ${LONGEST_WINDOW_MS} ms`);
  }

  /** Throws 429 with Retry-After while the pair, the account or the address must wait. */
  async assertAllowed(account: string, address: string): Promise<void> {
    const now = this.now();
    const until = await findBlockedUntil(
      this.db,
      this.keysOf(account, address).map(({ key }) => key),
      now,
    );
    if (until) throw this.tooMany(until.getTime() - now.getTime());
  }

  /** Counts a failed attempt against the pair, the account and the address. */
  async recordFailure(account: string, address: string): Promise<void> {
    const now = this.now();
    await recordThrottleFailures(
      this.db,
      this.keysOf(account, address),
      now,
      new Date(now.getTime() - LONGEST_WINDOW_MS),
    );
  }

  /** A success clears the failures of this account from this address (nothing else). */
  async recordSuccess(account: string, address: string): Promise<void> {
    const pair = this.keysOf(account, address).find(({ kind }) => kind === 'pair');
    if (pair) await clearThrottleKeys(this.db, [pair.key]);
  }

  private rules(): ThrottleRule[] {
    const { pair, account, address } = this.policy;
    return [pair, account, address].filter((rule) => rule !== undefined);
  }

  private keysOf(
    account: string,
    address: string,
  ): Array<CountedKey & { kind: 'pair' | 'account' | 'address' }> {
    const { scope, pair, account: perAccount, address: perAddress } = this.policy;
    const who = account.trim().toLowerCase();
    const where = addressKey(address);
    // The address is last and never holds a '|', so a pair key cannot be read two ways.
    const keys: Array<CountedKey & { kind: 'pair' | 'account' | 'address' }> = [];
    if (pair) keys.push({ kind: 'pair', key: `${scope}|pair|${who}|${where}`, ...pair });
    if (perAccount) keys.push({ kind: 'account', key: `${scope}|account|${who}`, ...perAccount });
    if (perAddress) keys.push({ kind: 'address', key: `${scope}|address|${where}`, ...perAddress });
    return keys;
  }

  private tooMany(ms: number): TooManyRequests {
    const seconds = Math.max(1, Math.ceil(ms / SECOND));
    const minutes = Math.ceil(seconds / 60);
    const wait =
      seconds < 60
        ? `${seconds} second${seconds === 1 ? '' : 's'}`
        : `${minutes} minute${minutes === 1 ? '' : 's'}`;
    return new TooManyRequests(seconds, `Too many ${this.policy.attempts}. Try again in ${wait}.`);
  }
}

/**
 * The address as counted: IPv4 as is (also when IPv4-mapped), IPv6 by its /64 network, which one
 * subscriber usually holds whole (counting single IPv6 addresses would give them 2^64 tries).
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = (address.toLowerCase().split('%')[0] ?? '').split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = address.includes('::') && tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = address.includes('::')
    ? [...headGroups, ...Array<string>(Math.max(0, missing)).fill('0'), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
