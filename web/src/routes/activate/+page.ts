import type { PageLoad } from './$types';

/**
 * The page the access letter's QR code opens: `/activate?login=<sign-in name>&code=<code>`. It is
 * public; someone already signed in on this device is signed in as the letter's person afterwards.
 */
export const load: PageLoad = ({ url }) => ({
  signInName: url.searchParams.get('login')?.trim() ?? '',
  code: url.searchParams.get('code')?.trim() ?? '',
});
