import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequests } from '../errors.ts';

export interface LoginThrottleOptions {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  blockSeconds: number;
}

/**
 * Counts failed sign-ins per account and per address; successful ones cost nothing, so normal use
 * is never slowed. A success clears the account's count. In memory: Liaison runs as one process.
 */
export class LoginThrottle {
  private readonly perAccount: RateLimiterMemory;
  private readonly perAddress: RateLimiterMemory;

  constructor(options: LoginThrottleOptions) {
    const window = { duration: options.blockSeconds, blockDuration: options.blockSeconds };
    this.perAccount = new RateLimiterMemory({
      keyPrefix: 'account',
      points: options.maxFailuresPerAccount,
      ...window,
    });
    this.perAddress = new RateLimiterMemory({
      keyPrefix: 'address',
      points: options.maxFailuresPerAddress,
      ...window,
    });
  }

  /** Throws 429 with Retry-After while the account or the address is blocked. */
  async assertAllowed(account: string, address: string): Promise<void> {
    const [accountState, addressState] = await Promise.all([
      this.perAccount.get(account.toLowerCase()),
      this.perAddress.get(address),
    ]);
    const blockedFor = Math.max(
      blockedMs(accountState, this.perAccount.points),
      blockedMs(addressState, this.perAddress.points),
    );
    if (blockedFor > 0) throw tooMany(blockedFor);
  }

  /** Records a failed attempt; throws 429 once this failure crosses a limit. */
  async recordFailure(account: string, address: string): Promise<void> {
    try {
      await Promise.all([this.perAccount.consume(account.toLowerCase()), this.perAddress.consume(address)]);
    } catch (result) {
      if (result instanceof RateLimiterRes) throw tooMany(result.msBeforeNext);
      throw result;
    }
  }

  async recordSuccess(account: string): Promise<void> {
    await this.perAccount.delete(account.toLowerCase());
  }
}

function blockedMs(state: RateLimiterRes | null, points: number): number {
  return state && state.consumedPoints >= points ? state.msBeforeNext : 0;
}

function tooMany(ms: number): TooManyRequests {
  const minutes = Math.max(1, Math.ceil(ms / 60000));
  return new TooManyRequests(
    ms / 1000,
    `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  );
}
